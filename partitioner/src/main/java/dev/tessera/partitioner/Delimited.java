package dev.tessera.partitioner;

import java.util.ArrayList;
import java.util.List;

/** Field splitting for one line of TSV or CSV, without regular expressions (this runs once per input row). */
public final class Delimited {
    private Delimited() {}

    public static String[] splitTabs(String line) {
        int n = 1;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '\t') {
                n++;
            }
        }
        String[] out = new String[n];
        int start = 0;
        int k = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == '\t') {
                int end = i;
                if (i == line.length() && end > start && line.charAt(end - 1) == '\r') {
                    end--;
                }
                out[k++] = line.substring(start, end);
                start = i + 1;
            }
        }
        return out;
    }

    /** RFC 4180 within one line: fields may be double-quoted, with "" for a quote inside. */
    public static String[] splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int len = line.length();
        if (len > 0 && line.charAt(len - 1) == '\r') {
            len--;
        }
        for (int i = 0; i < len; i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < len && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        out.add(field.toString());
        return out.toArray(new String[0]);
    }
}
