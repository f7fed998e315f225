package org.crmkit.benchmarks;

import java.util.List;
import java.util.Random;

/**
 * First and last names from many languages, with their accents and special letters (José, Zoë, Björn, Łukasz,
 * Çağla, Nguyễn, Søren, François), and short ones (Ana, Ian, Eva, Ivo, Ng, Li): the search suite gives a share of
 * its contacts these names beside Datafaker's English ones, so its recall covers accent folding and three-letter
 * words. Each language's first names go with its own last names; the lists are fixed, the pick seeded.
 */
final class WorldNames {
    /** One language's names. */
    private record Language(List<String> first, List<String> last) {}

    private static final List<Language> LANGUAGES = List.of(
            new Language(List.of("José", "María", "Ana", "Iñigo", "Begoña", "Raúl", "Sofía", "Jesús", "Inés", "Álvaro"),
                    List.of("García", "Muñoz", "Peña", "Núñez", "Ibáñez", "Rodríguez", "Gómez", "Sáez", "Ruiz",
                            "Álvarez")),
            new Language(List.of("François", "Zoë", "Hélène", "Léa", "Noël", "Chloé", "Jérôme", "Anaïs", "Loïc", "Eva"),
                    List.of("Lefèvre", "Béranger", "Dupré", "Mercier", "Gaël", "Giraud", "Leroux", "Faure", "Roché",
                            "Hébert")),
            new Language(List.of("Björn", "Jürgen", "Käthe", "Günther", "Jörg", "Lukas", "Ida", "Uwe", "Sönke", "Tim"),
                    List.of("Müller", "Schröder", "Weiß", "Groß", "Köhler", "Bäcker", "Krüger", "Jäger", "Vogt",
                            "Lang")),
            new Language(List.of("Łukasz", "Małgorzata", "Wojciech", "Agnieszka", "Paweł", "Zofia", "Jędrzej", "Ewa",
                    "Piotr", "Kasia"),
                    List.of("Kowalski", "Wiśniewski", "Wójcik", "Łukaszewicz", "Zieliński", "Dąbrowski", "Kozłowski",
                            "Nowak", "Mazur", "Król")),
            new Language(List.of("Çağla", "Gülşen", "Ömer", "Şükrü", "Ayşe", "Ali", "Emre", "İlkay", "Can", "Ece"),
                    List.of("Yılmaz", "Öztürk", "Çelik", "Şahin", "Doğan", "Aydın", "Kılıç", "Arslan", "Koç", "Demir")),
            new Language(List.of("Nguyễn", "Thảo", "Minh", "Phương", "Đức", "Lan", "Huy", "Anh", "Tâm", "Bảo"),
                    List.of("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Ngô", "Huỳnh")),
            new Language(List.of("Søren", "Åse", "Bjørn", "Ole", "Ivo", "Astrid", "Mette", "Kåre", "Sigrún", "Þór"),
                    List.of("Sørensen", "Løvgren", "Ødegård", "Åkesson", "Hansen", "Nyström", "Lindqvist",
                            "Jónsdóttir", "Þórsson", "Dahl")),
            new Language(List.of("Ian", "Eoin", "Siobhán", "Aoife", "Seán", "Niamh", "Róisín", "Cian", "Orla", "Eli"),
                    List.of("Ó Briain", "Mac Giolla", "Ní Dhomhnaill", "O'Connor", "Byrne", "Kavanagh", "Ó Sé",
                            "Walsh", "Doyle", "Quinn")),
            new Language(List.of("João", "Conceição", "Gonçalo", "Inês", "Tomás", "Luís", "Ivo", "Rui", "Bárbara",
                    "Simão"),
                    List.of("Gonçalves", "Magalhães", "Araújo", "Simões", "Conceição", "Brandão", "Lopes", "Sá",
                            "Guimarães", "Antunes")),
            new Language(List.of("Mei", "Wei", "Jun", "Li", "Xiao", "Hiroshi", "Yūko", "Kenta", "Ji-woo", "Min-jun"),
                    List.of("Wang", "Li", "Zhang", "Chen", "Ng", "Wu", "Itō", "Satō", "Kim", "Park")),
            new Language(List.of("Vojtěch", "Jiří", "Tereza", "Lenka", "Ondřej", "Zdeněk", "Eva", "Petr", "Šárka",
                    "Radek"),
                    List.of("Dvořák", "Novák", "Černý", "Procházka", "Kučera", "Veselý", "Horák", "Němec", "Růžička",
                            "Marek")),
            new Language(List.of("Giovanni", "Niccolò", "Fabrizio", "Ilaria", "Nicolò", "Ada", "Ugo", "Elia", "Chiara",
                    "Matteo"),
                    List.of("Rossi", "D'Angelo", "Esposito", "Bianchi", "Colombo", "Ricci", "Fabbri", "Lo Russo",
                            "Galli", "Conti")));

    private static final java.util.Set<String> FIRST = LANGUAGES.stream().flatMap(l -> l.first().stream())
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private WorldNames() {}

    /** Whether {@code first} is one of these first names. */
    static boolean holds(String first) {
        return FIRST.contains(first);
    }

    /** A first and last name of one language, picked with {@code random}. */
    static String[] pick(Random random) {
        Language l = LANGUAGES.get(random.nextInt(LANGUAGES.size()));
        return new String[] {l.first().get(random.nextInt(l.first().size())),
                l.last().get(random.nextInt(l.last().size()))};
    }
}
