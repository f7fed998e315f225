package org.crmkit.internal.duplicate;

import java.util.HashMap;
import java.util.Map;

/**
 * Common English given-name short forms and their formal names, for {@code FUZZY_NAME}: two names are nicknames of
 * each other when they map to the same formal name. A short list of the frequent cases, not a full lexicon.
 */
public final class Nicknames {
    // @formatter:off
    private static final String[][] GROUPS = {
        {"william", "bill", "billy", "will", "willy", "liam"}, {"robert", "bob", "bobby", "rob", "robbie", "bert"},
        {"richard", "rick", "ricky", "dick", "rich"}, {"james", "jim", "jimmy", "jamie"},
        {"john", "johnny", "jack", "jon"}, {"jonathan", "jon", "jonny", "nathan"},
        {"michael", "mike", "mikey", "mick"}, {"thomas", "tom", "tommy"}, {"joseph", "joe", "joey"},
        {"charles", "charlie", "chuck", "chas"}, {"christopher", "chris", "kit"}, {"daniel", "dan", "danny"},
        {"matthew", "matt"}, {"anthony", "tony"}, {"andrew", "andy", "drew"}, {"edward", "ed", "eddie", "ted", "ned"},
        {"steven", "steve"}, {"stephen", "steve"}, {"benjamin", "ben", "benny"}, {"samuel", "sam", "sammy"},
        {"alexander", "alex", "al", "sandy"}, {"nicholas", "nick", "nicky"}, {"timothy", "tim", "timmy"},
        {"gregory", "greg"}, {"patrick", "pat", "paddy"}, {"peter", "pete"}, {"lawrence", "larry"},
        {"raymond", "ray"}, {"ronald", "ron", "ronnie"}, {"donald", "don", "donnie"}, {"kenneth", "ken", "kenny"},
        {"douglas", "doug"}, {"gerald", "gerry", "jerry"}, {"frederick", "fred", "freddie"},
        {"elizabeth", "liz", "lizzie", "beth", "betty", "eliza", "libby"}, {"margaret", "maggie", "meg", "peggy"},
        {"katherine", "kate", "katie", "kathy", "kat"}, {"catherine", "cathy", "kate", "katie", "cat"},
        {"jennifer", "jen", "jenny"}, {"jessica", "jess", "jessie"}, {"patricia", "pat", "patty", "trish"},
        {"susan", "sue", "susie"}, {"deborah", "deb", "debbie"}, {"rebecca", "becky", "becca"},
        {"victoria", "vicky", "tori"}, {"alexandra", "alex", "sandra", "lexi"}, {"christine", "chris", "chrissy"},
        {"samantha", "sam", "sammy"}, {"abigail", "abby"}, {"barbara", "barb", "babs"}, {"dorothy", "dot", "dotty"},
        {"kimberly", "kim"}, {"pamela", "pam"}, {"cynthia", "cindy"}, {"theresa", "terry", "tess"},
        {"virginia", "ginny"}, {"judith", "judy"}, {"melissa", "mel", "missy"}, {"amanda", "mandy"},
    };
    // @formatter:on
    private static final Map<String, java.util.Set<String>> FORMAL = new HashMap<>();

    static {
        for (String[] g : GROUPS) {
            for (String n : g) {
                FORMAL.computeIfAbsent(n, k -> new java.util.HashSet<>()).add(g[0]);
            }
        }
    }

    private Nicknames() {}

    /** The other forms of the given name {@code name} (folded), e.g. William and Will for Bill; at most 8. */
    public static java.util.List<String> variants(String name) {
        java.util.Set<String> formal = FORMAL.get(name);
        if (formal == null) {
            return java.util.List.of();
        }
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String[] g : GROUPS) {
            if (formal.contains(g[0])) {
                out.addAll(java.util.Arrays.asList(g));
            }
        }
        out.remove(name);
        return out.stream().limit(8).toList();
    }

    /** Whether {@code a} and {@code b} (folded) are forms of one given name. */
    static boolean same(String a, String b) {
        java.util.Set<String> fa = FORMAL.get(a);
        java.util.Set<String> fb = FORMAL.get(b);
        return fa != null && fb != null && fa.stream().anyMatch(fb::contains);
    }
}
