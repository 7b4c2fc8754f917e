package dev.admit.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every code block of docs/embedding.md is a tagged part of a file that this build compiles and runs (named above
 * the block as {@code <!-- from: path#tag -->}), copied to the letter, so the page cannot drift from working code.
 */
class DocsMatchCodeTest {

    private static final Path ROOT = Path.of("..", "..");
    private static final Pattern BLOCK =
            Pattern.compile("(?:<!-- from: ([^#\\s]+)#([\\w-]+) -->\\n)?```(\\w+)\\n(.*?)```", Pattern.DOTALL);

    private static final Pattern MARKER = Pattern.compile("(tag|end)::[\\w-]+\\[]");

    record Block(String path, String tag, String language, String code) {}

    static List<Block> blocks() throws IOException {
        String page = Files.readString(ROOT.resolve("docs/embedding.md"));
        List<Block> blocks = new ArrayList<>();
        Matcher found = BLOCK.matcher(page);
        while (found.find()) {
            blocks.add(new Block(found.group(1), found.group(2), found.group(3), found.group(4)));
        }
        return blocks;
    }

    @Test
    void every_code_block_names_the_code_it_comes_from() throws IOException {
        assertThat(blocks()).hasSizeGreaterThanOrEqualTo(6);
        assertThat(blocks())
                .filteredOn(block -> !block.language().equals("sh") && !block.language().equals("properties"))
                .allSatisfy(block -> assertThat(block.path()).as("the source of a %s block", block.language()).isNotNull());
    }

    @Test
    void every_code_block_is_its_source_to_the_letter() throws IOException {
        for (Block block : blocks()) {
            if (block.path() == null) {
                continue;
            }
            assertThat(block.code())
                    .as("docs/embedding.md, block from %s#%s", block.path(), block.tag())
                    .isEqualTo(tagged(ROOT.resolve(block.path()), block.tag()));
        }
    }

    /** The lines between the tag's start and end markers, with their common indentation removed. */
    static String tagged(Path source, String tag) throws IOException {
        List<String> lines = Files.readAllLines(source);
        List<String> part = new ArrayList<>();
        boolean inside = false;
        for (String line : lines) {
            if (line.contains("tag::" + tag + "[]")) {
                inside = true;
            } else if (line.contains("end::" + tag + "[]")) {
                inside = false;
            } else if (inside && !MARKER.matcher(line).find()) {
                part.add(line); // markers of tags nested inside are not code
            }
        }
        assertThat(part).as("tag %s in %s", tag, source).isNotEmpty();
        int indent = part.stream()
                .filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length())
                .min()
                .orElse(0);
        StringBuilder code = new StringBuilder();
        for (String line : part) {
            code.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return code.toString();
    }
}
