package org.crmkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The scans the canary tests run for a set of texts, each also in lower case: every column of every table of a
 * storage (all tables with its prefix, each column cast to text, read through JDBC metadata), every file of a Lucene
 * index (raw bytes), every entry of a backup archive (unzipped), and captured text such as log output.
 */
final class CanaryScan {
    private final List<String> texts;

    CanaryScan(List<String> texts) {
        this.texts = List.copyOf(texts);
    }

    /** "table.column: text" for every text found in any column of any table of the storage. */
    List<String> inTables(String url, String prefix) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url)) {
            DatabaseMetaData meta = c.getMetaData();
            String product = meta.getDatabaseProductName().toLowerCase(Locale.ROOT);
            String text = product.contains("mariadb") || product.contains("mysql") ? "char"
                    : product.contains("postgres") ? "text" : "varchar";
            String quote = meta.getIdentifierQuoteString();
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = meta.getTables(c.getCatalog(), product.contains("h2") ? "PUBLIC" : null, "%",
                    new String[] {"TABLE"})) {
                while (rs.next()) {
                    String name = rs.getString("TABLE_NAME");
                    if (name.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT))) {
                        tables.add(name);
                    }
                }
            }
            assertThat(tables).as("tables of the storage").anyMatch(t -> t.toLowerCase(Locale.ROOT)
                    .endsWith("crmkit_change_log"));
            for (String table : tables) {
                List<String> columns = new ArrayList<>();
                try (ResultSet rs = meta.getColumns(c.getCatalog(), null, table, "%")) {
                    while (rs.next()) {
                        columns.add(rs.getString("COLUMN_NAME"));
                    }
                }
                StringBuilder sql = new StringBuilder("select ");
                for (int i = 0; i < columns.size(); i++) {
                    sql.append(i == 0 ? "" : ", ").append("cast(").append(quote).append(columns.get(i))
                            .append(quote).append(" as ").append(text).append(")");
                }
                sql.append(" from ").append(quote).append(table).append(quote);
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.toString())) {
                    while (rs.next()) {
                        for (int i = 0; i < columns.size(); i++) {
                            String v = rs.getString(i + 1);
                            if (v == null) {
                                continue;
                            }
                            for (String t : inText(v)) {
                                out.add(table + "." + columns.get(i) + ": " + t);
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The texts (as given or lower case) a string holds, compared case-insensitively. */
    List<String> inText(String haystack) {
        String lower = haystack.toLowerCase(Locale.ROOT);
        return texts.stream().filter(t -> lower.contains(t.toLowerCase(Locale.ROOT))).toList();
    }

    /** "entry: text" for every text (as given or lower case) in an entry of a backup archive, unzipped. */
    List<String> inArchive(Path archive) throws IOException {
        List<String> out = new ArrayList<>();
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(Files.newInputStream(archive))) {
            for (java.util.zip.ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                byte[] bytes = zip.readAllBytes();
                for (String form : forms()) {
                    if (indexOf(bytes, form.getBytes(StandardCharsets.UTF_8)) >= 0) {
                        out.add(e.getName() + ": " + form);
                    }
                }
            }
        }
        return out;
    }

    /** "file: text" for every text whose UTF-8 bytes (as given or lower case) are in an index file. */
    List<String> inIndex(Path index) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(index)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(f);
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue; // deleted by the index meanwhile
                }
                for (String form : forms()) {
                    if (indexOf(bytes, form.getBytes(StandardCharsets.UTF_8)) >= 0) {
                        out.add(f.getFileName() + ": " + form);
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return out;
    }

    private List<String> forms() {
        return texts.stream().flatMap(t -> Stream.of(t, t.toLowerCase(Locale.ROOT))).distinct().toList();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer : for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
