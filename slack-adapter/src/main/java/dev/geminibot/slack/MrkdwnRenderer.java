package dev.geminibot.slack;

import dev.geminibot.core.reply.TextRenderer;
import java.util.Locale;
import org.commonmark.ext.gfm.strikethrough.Strikethrough;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.CustomBlock;
import org.commonmark.node.CustomNode;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Document;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

/**
 * Converts the model's Markdown to Slack mrkdwn with a CommonMark parser: {@code **bold**} becomes
 * {@code *bold*}, {@code *italics*} {@code _italics_}, {@code [text](url)} {@code <url|text>}, headings
 * bold lines, list items bullets, code blocks fences without a language, GFM {@code ~~struck~~}
 * {@code ~struck~}, and a GFM table a code block of aligned columns (mrkdwn has no tables).
 *
 * <p>Every {@code &}, {@code <} and {@code >} that comes from the model is escaped, and a link is only
 * formed for {@code http}, {@code https} and {@code mailto} targets, so the output can never contain a
 * Slack control sequence such as {@code <!channel>}, {@code <!here>} or {@code <@U123>}: the model cannot
 * ping anyone. Pure and thread-safe.
 */
final class MrkdwnRenderer implements TextRenderer {

    static final MrkdwnRenderer INSTANCE = new MrkdwnRenderer();

    private final Parser parser = Parser.builder()
            .extensions(java.util.List.of(
                    // Two tildes only: "~5 min to ~10 min" is not struck through.
                    StrikethroughExtension.builder().requireTwoTildes(true).build(),
                    TablesExtension.create()))
            .build();

    @Override
    public String render(String markdown) {
        Node document = parser.parse(markdown);
        Writer writer = new Writer();
        document.accept(writer);
        return writer.result();
    }

    /** Slack's three entities; the only escaping mrkdwn has. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A link target Slack may turn into a link, or null when it must stay plain text. */
    private static String safeUrl(String destination) {
        if (destination == null) {
            return null;
        }
        String lower = destination.strip().toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("https://") || lower.startsWith("http://") || lower.startsWith("mailto:"))) {
            return null;
        }
        // '|' and '>' would end the URL part of <url|text>; percent-encoding keeps the link intact.
        return escape(destination.strip().replace("|", "%7C").replace(">", "%3E").replace("<", "%3C"));
    }

    private static final class Writer extends AbstractVisitor {
        private final StringBuilder out = new StringBuilder();
        /** Prefix of every new line: list indentation and quote markers. */
        private String linePrefix = "";

        String result() {
            return out.toString().strip();
        }

        private void newline() {
            out.append('\n').append(linePrefix);
        }

        /** Separates blocks: a blank line between top-level blocks, a line break inside lists. */
        private void blockBreak(Node node) {
            if (node.getPrevious() == null) {
                return;
            }
            boolean tight = node.getParent() instanceof ListItem item && item.getParent() instanceof org.commonmark.node.ListBlock list
                    && list.isTight();
            newline();
            if (!tight) {
                newline();
            }
        }

        @Override
        public void visit(Document document) {
            visitChildren(document);
        }

        @Override
        public void visit(Paragraph paragraph) {
            blockBreak(paragraph);
            visitChildren(paragraph);
        }

        @Override
        public void visit(Heading heading) {
            blockBreak(heading);
            out.append('*');
            visitChildren(heading);
            out.append('*');
        }

        @Override
        public void visit(BlockQuote blockQuote) {
            blockBreak(blockQuote);
            String saved = linePrefix;
            linePrefix = saved + "&gt; ";
            out.append("&gt; ");
            visitChildren(blockQuote);
            linePrefix = saved;
        }

        @Override
        public void visit(BulletList list) {
            blockBreak(list);
            int index = 0;
            for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
                if (index++ > 0) {
                    newline();
                }
                listItem(item, "• ");
            }
        }

        @Override
        public void visit(OrderedList list) {
            blockBreak(list);
            Integer start = list.getMarkerStartNumber();
            int number = start == null ? 1 : start;
            int index = 0;
            for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
                if (index++ > 0) {
                    newline();
                }
                listItem(item, (number++) + ". ");
            }
        }

        private void listItem(Node item, String marker) {
            out.append(marker);
            String saved = linePrefix;
            linePrefix = saved + " ".repeat(marker.length() + 1);
            visitChildren(item);
            linePrefix = saved;
        }

        @Override
        public void visit(FencedCodeBlock code) {
            blockBreak(code);
            codeBlock(code.getLiteral());
        }

        @Override
        public void visit(IndentedCodeBlock code) {
            blockBreak(code);
            codeBlock(code.getLiteral());
        }

        private void codeBlock(String literal) {
            // Slack ignores a fence's language and shows it as code text, so it is dropped.
            String body = literal.endsWith("\n") ? literal.substring(0, literal.length() - 1) : literal;
            out.append("```");
            for (String line : body.split("\n", -1)) {
                newline();
                out.append(escape(line));
            }
            newline();
            out.append("```");
        }

        @Override
        public void visit(HtmlBlock html) {
            blockBreak(html);
            appendLines(escape(html.getLiteral().stripTrailing()));
        }

        @Override
        public void visit(ThematicBreak thematicBreak) {
            blockBreak(thematicBreak);
            out.append("───");
        }

        @Override
        public void visit(Text text) {
            appendLines(escape(text.getLiteral()));
        }

        private void appendLines(String text) {
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (i > 0) {
                    newline();
                }
                out.append(lines[i]);
            }
        }

        @Override
        public void visit(Code code) {
            out.append('`').append(escape(code.getLiteral())).append('`');
        }

        @Override
        public void visit(Emphasis emphasis) {
            out.append('_');
            visitChildren(emphasis);
            out.append('_');
        }

        @Override
        public void visit(StrongEmphasis strong) {
            out.append('*');
            visitChildren(strong);
            out.append('*');
        }

        @Override
        public void visit(Link link) {
            linkLike(link, link.getDestination());
        }

        @Override
        public void visit(Image image) {
            linkLike(image, image.getDestination());
        }

        private void linkLike(Node node, String destination) {
            String url = safeUrl(destination);
            if (url == null) {
                visitChildren(node);
                return;
            }
            int start = out.length();
            visitChildren(node);
            String label = out.substring(start).replace("|", "¦");
            out.setLength(start);
            if (label.isEmpty() || label.equals(url)) {
                out.append('<').append(url).append('>');
            } else {
                out.append('<').append(url).append('|').append(label.replace("\n", " ")).append('>');
            }
        }

        @Override
        public void visit(HtmlInline html) {
            out.append(escape(html.getLiteral()));
        }

        @Override
        public void visit(SoftLineBreak softLineBreak) {
            // Chat text keeps the model's line breaks: people read them as intended layout.
            newline();
        }

        @Override
        public void visit(HardLineBreak hardLineBreak) {
            newline();
        }

        @Override
        public void visit(CustomNode node) {
            if (node instanceof Strikethrough) {
                out.append('~');
                visitChildren(node);
                out.append('~');
            } else {
                visitChildren(node);
            }
        }

        @Override
        public void visit(CustomBlock block) {
            if (block instanceof TableBlock table) {
                blockBreak(table);
                table(table);
            } else {
                visitChildren(block);
            }
        }

        /** Slack has no tables: the cells' text in padded columns inside a code block keeps them readable. */
        private void table(TableBlock table) {
            java.util.List<java.util.List<String>> rows = new java.util.ArrayList<>();
            collectRows(table, rows);
            int columns = rows.stream().mapToInt(java.util.List::size).max().orElse(0);
            int[] widths = new int[columns];
            for (var row : rows) {
                for (int i = 0; i < row.size(); i++) {
                    widths[i] = Math.max(widths[i], row.get(i).codePointCount(0, row.get(i).length()));
                }
            }
            out.append("```");
            for (int r = 0; r < rows.size(); r++) {
                newline();
                out.append(escape(line(rows.get(r), widths)));
                if (r == 0 && rows.size() > 1) {
                    newline();
                    StringBuilder rule = new StringBuilder();
                    for (int i = 0; i < columns; i++) {
                        rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
                    }
                    out.append(rule);
                }
            }
            newline();
            out.append("```");
        }

        private static String line(java.util.List<String> cells, int[] widths) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String cell = i < cells.size() ? cells.get(i) : "";
                line.append(i == 0 ? "" : " | ").append(cell)
                        .append(" ".repeat(widths[i] - cell.codePointCount(0, cell.length())));
            }
            return line.toString().stripTrailing();
        }

        private static void collectRows(Node node, java.util.List<java.util.List<String>> rows) {
            for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
                if (child instanceof org.commonmark.ext.gfm.tables.TableRow) {
                    java.util.List<String> cells = new java.util.ArrayList<>();
                    for (Node cell = child.getFirstChild(); cell != null; cell = cell.getNext()) {
                        if (cell instanceof TableCell) {
                            cells.add(plainText(cell).strip());
                        }
                    }
                    rows.add(cells);
                } else {
                    collectRows(child, rows);
                }
            }
        }

        /** The literal text under {@code node}: formatting marks do not work inside a code block. */
        private static String plainText(Node node) {
            StringBuilder text = new StringBuilder();
            for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
                if (child instanceof Text t) {
                    text.append(t.getLiteral());
                } else if (child instanceof Code c) {
                    text.append(c.getLiteral());
                } else if (child instanceof HtmlInline html) {
                    text.append(html.getLiteral());
                } else if (child instanceof SoftLineBreak || child instanceof HardLineBreak) {
                    text.append(' ');
                } else {
                    text.append(plainText(child));
                }
            }
            return text.toString();
        }
    }
}
