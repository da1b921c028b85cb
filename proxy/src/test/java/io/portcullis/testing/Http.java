package io.portcullis.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A bounded HTTP/1.1 client for 127.0.0.1 that shows response headers (Curl shows only status and body):
 * {@code Http.get(url, "Authorization", "Bearer x", "DPoP", proof)}; a header name may repeat.
 */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /** Status, body and headers of a response. */
    public record Response(int status, String body, java.net.http.HttpHeaders headers) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public List<String> headers(String name) {
            return headers.allValues(name);
        }

        @Override
        public String toString() {
            return status + " " + headers.map() + " " + body;
        }
    }

    private Http() {}

    public static Response get(String url, String... headerPairs) throws IOException, InterruptedException {
        return send("GET", url, headerPairs);
    }

    public static Response send(String method, String url, String... headerPairs) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headerPairs.length; i += 2) {
            b.header(headerPairs[i], headerPairs[i + 1]);
        }
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body(), r.headers());
    }
}
