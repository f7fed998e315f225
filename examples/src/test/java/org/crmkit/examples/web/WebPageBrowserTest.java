package org.crmkit.examples.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web example's page in Debian's headless Chromium, driven by Selenium through Debian's chromedriver (paths set
 * explicitly, so Selenium Manager never looks for or downloads a browser or driver). Skips when Chromium is not
 * installed, and fails instead under {@code CRMKIT_TEST_REQUIRE_SERVICES=true}, as {@code .ci/run} sets it (and
 * installs chromium and chromium-driver).
 *
 * <p>No assertion on speed: waits are for conditions, with a generous bound ({@link #PATIENCE}); the time a card took
 * to move is printed, not asserted.
 */
class WebPageBrowserTest {
    static final Path CHROMIUM = Path.of(System.getProperty("crmkit.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("crmkit.chromedriver", "/usr/bin/chromedriver"));
    static final Duration PATIENCE = Duration.ofSeconds(10);
    static final String ADA_NOTES = "Confidential: asks for a 30% discount before signing";

    private static WebExample.Running web;
    private static WebClient api;

    @TempDir
    Path profile;
    private ChromeDriver driver;
    private WebDriverWait wait;

    @BeforeAll
    static void startServer() {
        requireChromium();
        web = WebExample.start(WebExample.Storage.memory(), 0);
        api = new WebClient(web.uri());
    }

    static void requireChromium() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String message = "Chromium (" + CHROMIUM + ") or chromedriver (" + CHROMEDRIVER + ") is not installed: "
                + "apt-get install -y chromium chromium-driver to run the browser test (.ci/run installs them)";
        if ("true".equalsIgnoreCase(System.getenv("CRMKIT_TEST_REQUIRE_SERVICES"))) {
            throw new AssertionError(message + " [CRMKIT_TEST_REQUIRE_SERVICES=true, so this is a failure]");
        }
        Assumptions.abort(message);
    }

    @AfterAll
    static void stopServer() {
        if (web != null) {
            web.close();
        }
    }

    @BeforeEach
    void openBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile.resolve("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, PATIENCE, Duration.ofMillis(50));
        driver.get(web.uri().toString());
    }

    @AfterEach
    void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    private void signInAs(String user) {
        wait.until(d -> !d.findElements(By.cssSelector("#demo-users button[data-user='" + user + "']")).isEmpty());
        driver.findElement(By.cssSelector("#demo-users button[data-user='" + user + "']")).click();
        wait.until(d -> d.findElement(By.id("contacts")).getText().contains("Lovelace"));
        wait.until(d -> "live".equals(d.findElement(By.id("live")).getDomAttribute("data-state")));
    }

    private Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** The stage of the board column the card of deal {@code name} is in, or null when there is no such card. */
    private Object columnOf(String name) {
        return script("const card = [...document.querySelectorAll('#board .card')]"
                + ".find(c => c.querySelector('.name').textContent === arguments[0]);"
                + "return card ? card.closest('.column').dataset.stage : null;", name);
    }

    private List<String> headers() {
        return driver.findElements(By.cssSelector("#contacts thead th")).stream().map(WebElement::getText).toList();
    }

    @Test
    void theRepSeesContactsFindsOneWithATypoAndSeesACardMoveLiveButNeverTheHiddenNotes() {
        signInAs("rep");
        assertThat(driver.findElement(By.id("contacts")).getText()).contains("Ada Lovelace", "Wile Coyote",
                "Analytical Engines Ltd");

        driver.findElement(By.id("search")).sendKeys("Lovelase");
        wait.until(d -> d.findElement(By.id("search-results")).getText().contains("Ada Lovelace"));

        wait.until(d -> "proposal".equals(columnOf("Rocket skates")));
        script("window.crmkitTestMarker = 'same page';");
        String eventsBefore = driver.findElement(By.id("live")).getDomAttribute("data-events");
        String admin = api.token("admin");
        long start = System.nanoTime();
        assertThat(api.moveDeal(admin, api.deal(admin, "Rocket skates"), "negotiation").status()).isEqualTo(200);
        wait.until(d -> "negotiation".equals(columnOf("Rocket skates")));
        System.out.printf("the card moved %d ms after the PATCH returned%n", (System.nanoTime() - start) / 1_000_000);
        assertThat(script("return window.crmkitTestMarker;")).as("the page was not reloaded").isEqualTo("same page");
        assertThat(Integer.parseInt(driver.findElement(By.id("live")).getDomAttribute("data-events")))
                .as("change events the page read from GET /changes").isGreaterThan(Integer.parseInt(eventsBefore));

        // the notes are hidden from the rep on every path of the page: list, search, board
        driver.findElement(By.id("search")).clear();
        driver.findElement(By.id("search")).sendKeys("discount");
        wait.until(d -> d.findElement(By.id("search-results")).getText().contains("no match"));
        assertThat(headers()).contains("email", "title", "company").doesNotContain(DemoUsers.HIDDEN_FIELD);
        assertThat(driver.findElement(By.tagName("body")).getText()).doesNotContain("Confidential");
        assertThat(driver.getPageSource()).doesNotContain("Confidential").doesNotContain("discount before")
                .doesNotContain(">" + DemoUsers.HIDDEN_FIELD + "<");
    }

    /**
     * Record data is text on the page, never markup: a contact whose name is an HTML element with a script handler
     * shows as that text, and no such element exists.
     */
    @Test
    void markupInARecordIsShownAsTextAndNeverRuns() {
        String markup = "<img id=\"xss\" src=\"x\" onerror=\"window.crmkitXss = 1\">";
        assertThat(api.create(api.token("admin"), "contact", "{\"first_name\":\"Mallory\",\"last_name\":"
                + "\"" + markup.replace("\"", "\\\"") + "\"}").status()).isEqualTo(201);
        signInAs("admin");
        wait.until(d -> d.findElement(By.id("contacts")).getText().contains("Mallory " + markup));
        driver.findElement(By.id("search")).sendKeys("Mallory");
        wait.until(d -> d.findElement(By.id("search-results")).getText().contains(markup));
        assertThat(driver.findElements(By.id("xss"))).isEmpty();
        assertThat(script("return window.crmkitXss === undefined;")).isEqualTo(true);
    }

    @Test
    void theAdminSeesTheNotesAndTheyAreGoneWhenTheRepSignsInOnTheSamePage() {
        signInAs("admin");
        assertThat(headers()).contains(DemoUsers.HIDDEN_FIELD);
        assertThat(driver.findElement(By.id("contacts")).getText()).contains(ADA_NOTES);

        signInAs("rep");
        wait.until(d -> !d.getPageSource().contains(ADA_NOTES));
        assertThat(headers()).doesNotContain(DemoUsers.HIDDEN_FIELD);
        assertThat(driver.getPageSource()).doesNotContain("Confidential");
    }

    /**
     * Pause closes the stream; a deal moved meanwhile reaches the board when Resume opens it again with
     * {@code Last-Event-ID}: as a replayed event (the event count grows), not by reloading the board or the page.
     */
    @Test
    void aChangeMadeWhileThePageWasDisconnectedArrivesWhenItResumesWithLastEventId() {
        signInAs("rep");
        String admin = api.token("admin");
        wait.until(d -> "prospecting".equals(columnOf("Difference engine")));
        assertThat(api.moveDeal(admin, api.deal(admin, "Difference engine"), "qualification").status()).isEqualTo(200);
        wait.until(d -> "qualification".equals(columnOf("Difference engine")));
        script("window.crmkitTestMarker = 'same page';");

        driver.findElement(By.id("live-toggle")).click();
        wait.until(d -> "paused".equals(d.findElement(By.id("live")).getDomAttribute("data-state")));
        int eventsBefore = Integer.parseInt(driver.findElement(By.id("live")).getDomAttribute("data-events"));
        JsonNode deal = api.deal(admin, "Analytical engine");
        assertThat(api.moveDeal(admin, deal, "proposal").status()).isEqualTo(200);
        assertThat(columnOf("Analytical engine")).as("paused: no stream, no change").isEqualTo("qualification");

        driver.findElement(By.id("live-toggle")).click();
        wait.until(d -> "proposal".equals(columnOf("Analytical engine")));
        assertThat(Integer.parseInt(driver.findElement(By.id("live")).getDomAttribute("data-events")))
                .as("the move came as a replayed change event").isGreaterThan(eventsBefore);
        assertThat(script("return window.crmkitTestMarker;")).isEqualTo("same page");
    }
}
