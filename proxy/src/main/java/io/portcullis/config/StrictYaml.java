package io.portcullis.config;

import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Turns config text into one SnakeYAML node tree, accepting only plain data. SnakeYAML only
 * <em>composes</em> here (no object construction), and an event filter in front of the composer rejects
 * anchors, aliases and non-standard tags before they reach it: a config has no use for them, and
 * aliases are how "billion laughs" documents blow up. Every SnakeYAML failure becomes an error with a
 * 1-based line, never an exception escaping the loader.
 */
final class StrictYaml {
    static final int MAX_NESTING_DEPTH = 50;

    /** Tags a plain config may spell out explicitly ({@code !!str 8080}); everything else is refused. */
    private static final Set<String> STANDARD_TAGS = Set.of(
            Tag.STR.getValue(), Tag.INT.getValue(), Tag.BOOL.getValue(), Tag.FLOAT.getValue(),
            Tag.NULL.getValue(), Tag.MAP.getValue(), Tag.SEQ.getValue());

    private StrictYaml() {}

    /**
     * @return the root node of the only document, or null after adding an error (syntax error, alias,
     *     custom tag, several documents, no document)
     */
    static Node compose(String text, int codePointLimit, ConfigErrors errors) {
        LoaderOptions options = loaderOptions(codePointLimit);
        PlainDataParser parser = new PlainDataParser(new ParserImpl(new StreamReader(text), options));
        Composer composer = new Composer(parser, new Resolver(), options);
        try {
            if (!composer.checkNode()) {
                errors.addAtLine(0, "config is empty");
                return null;
            }
            Node root = composer.getNode();
            if (composer.checkNode()) {
                errors.addAtLine(line(parser.peekEvent().getStartMark()),
                        "a config file holds one YAML document; found a second one");
                return null;
            }
            if (root instanceof ScalarNode && Tag.NULL.equals(root.getTag())) {
                errors.addAtLine(0, "config is empty");
                return null;
            }
            return root;
        } catch (Rejected e) {
            errors.addAtLine(line(e.mark), e.getMessage());
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            errors.addAtLine(line(mark), "invalid YAML: " + e.getProblem() + context);
        } catch (YAMLException e) {
            // Limits (nesting depth, size) are reported without a mark; the last event read is close by.
            errors.addAtLine(line(parser.lastMark), "invalid YAML: " + e.getMessage());
        } catch (RuntimeException e) {
            // SnakeYAML documents YAMLException, but a hostile file must not escape as anything else either.
            errors.addAtLine(line(parser.lastMark), "invalid YAML: " + e);
        }
        return null;
    }

    private static LoaderOptions loaderOptions(int codePointLimit) {
        LoaderOptions options = new LoaderOptions();
        // Belt and braces: PlainDataParser already refuses every alias and anchor before the composer.
        options.setMaxAliasesForCollections(10);
        options.setAllowRecursiveKeys(false);
        // Only object construction checks this flag; compose() does not, so RecordBinder reports
        // duplicate keys itself (with both lines). Set anyway so the options say what we mean.
        options.setAllowDuplicateKeys(false);
        options.setMergeOnCompose(false);
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        options.setCodePointLimit(codePointLimit);
        options.setProcessComments(false);
        return options;
    }

    private static int line(Mark mark) {
        return mark == null ? 0 : mark.getLine() + 1;
    }

    /** Passes events through, refusing anything that is not plain data. */
    private static final class PlainDataParser implements Parser {
        private final Parser delegate;
        private Mark lastMark;

        PlainDataParser(Parser delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            inspect(delegate.peekEvent());
            return delegate.checkEvent(choice);
        }

        @Override
        public Event peekEvent() {
            return inspect(delegate.peekEvent());
        }

        @Override
        public Event getEvent() {
            inspect(delegate.peekEvent());
            Event event = delegate.getEvent();
            lastMark = event == null ? lastMark : event.getStartMark();
            return event;
        }

        private static Event inspect(Event event) {
            if (event instanceof AliasEvent alias) {
                throw new Rejected(event.getStartMark(),
                        "aliases are not allowed (found *" + alias.getAnchor() + ")");
            }
            if (event instanceof NodeEvent node && node.getAnchor() != null) {
                throw new Rejected(event.getStartMark(),
                        "anchors and aliases are not allowed (found &" + node.getAnchor() + ")");
            }
            String tag = event instanceof ScalarEvent scalar ? scalar.getTag()
                    : event instanceof CollectionStartEvent collection ? collection.getTag() : null;
            if (tag != null && !STANDARD_TAGS.contains(tag)) {
                String shown = tag.startsWith(Tag.PREFIX) ? "!!" + tag.substring(Tag.PREFIX.length()) : tag;
                throw new Rejected(event.getStartMark(), "tag " + shown + " is not allowed (no custom tags)");
            }
            return event;
        }
    }

    /** Unwinds out of the composer; never leaves this class. */
    private static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Mark mark;

        Rejected(Mark mark, String message) {
            super(message, null, false, false);
            this.mark = mark;
        }
    }
}
