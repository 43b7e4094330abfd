package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.core.cases.Role;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

/**
 * The workbench in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}):
 * an intake clerk signs in with the keyboard and files a case; a physician signs the denial and
 * sends the notice; the notice is downloaded and read. The case page is saved as a screenshot under
 * {@code target/}. {@code .ci/run} installs the browser and sets {@code MEDPOLICY_REQUIRE_BROWSER},
 * so there this test runs or fails; elsewhere it is skipped when no Chromium is installed.
 */
class WorkbenchBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path folder;
    static TestServer server;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (System.getenv("MEDPOLICY_REQUIRE_BROWSER") != null) {
            assertThat(installed).as("Chromium and ChromeDriver at " + CHROMIUM + " and " + DRIVER).isTrue();
        }
        Assumptions.assumeTrue(installed, "Chromium is not installed (apt-get install chromium chromium-driver); browser tests skipped");
        server = TestServer.h2(folder);
        server.signedIn("ines", Role.INTAKE);
        server.signedIn("dr.paul", Role.PHYSICIAN);
        server.signedIn("dr.quinn", "Dr. Paula Quinn", "MD, hematology and oncology", Role.PHYSICIAN);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,900", "--lang=en-US");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build(), options);
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    static String url(String path) {
        return server.uri(path).toString();
    }

    static void signIn(String username) {
        browser.get(url("/workbench"));
        assertThat(browser.getCurrentUrl()).as("sent to sign in").endsWith("/workbench/sign-in");
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(TestServer.PASSWORD, Keys.ENTER);
        // The sign-in page has an h1 too: wait for the queue's, or the old page's element goes stale under our feet.
        awaitText(By.tagName("h1"), "Queue");
    }

    /**
     * Waits until the element has {@code text}: after a form's submit the browser still shows the
     * old page for a moment, and an element read from it goes stale as the next page replaces it.
     */
    static void awaitText(By element, String text) {
        new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(10))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchElementException.class)
                .until(driver -> driver.findElement(element).getText().equals(text));
        assertThat(browser.findElement(element).getText()).isEqualTo(text);
    }

    /** The text of the PDF the link {@code link} points at, fetched with the browser's session. */
    static String pdfBehind(By link) throws Exception {
        String href = browser.findElement(link).getAttribute("href");
        String cookie = browser.manage().getCookieNamed(Gatekeeper.SESSION_COOKIE).getValue();
        HttpResponse<byte[]> pdf = server.client.send(HttpRequest.newBuilder(java.net.URI.create(href))
                .header("Cookie", Gatekeeper.SESSION_COOKIE + "=" + cookie).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pdf.statusCode()).isEqualTo(200);
        try (PDDocument document = Loader.loadPDF(pdf.body())) {
            return new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
        }
    }

    /**
     * Clicks something that loads another page and waits until the old page is gone. A click returns
     * before the browser has followed the form post and its redirect, so reading the page straight
     * after it reads the old one, sometimes: that was a flaky test on a busy machine.
     */
    static void click(By element) {
        WebElement oldPage = browser.findElement(By.tagName("html"));
        browser.findElement(element).click();
        new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(10))
                .until(driver -> isGone(oldPage));
    }

    /**
     * Whether {@code element}'s page has been replaced. Chromium 150 sometimes reports an element
     * of a page it is leaving as "Node with given id does not belong to the document" (a plain
     * WebDriverException) rather than as stale, which made Selenium's stalenessOf throw.
     */
    private static boolean isGone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException stale) {
            return true;
        } catch (org.openqa.selenium.WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    static void signOut() {
        click(By.xpath("//button[text()='Sign out']"));
        assertThat(browser.getCurrentUrl()).endsWith("/workbench/sign-in");
    }

    static void everyFieldHasALabel() {
        Object unlabelled = ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('input:not([type=hidden]),select,textarea')]"
                        + ".filter(e => e.labels.length === 0).map(e => e.name)");
        assertThat((List<?>) unlabelled).as("form fields without a label").isEmpty();
    }

    @Test
    void intakeFilesAPhysicianSignsTheDenialAndTheNoticeIsSent() throws Exception {
        signIn("ines");
        click(By.linkText("New case"));
        everyFieldHasALabel();
        browser.findElement(By.id("requesterName")).sendKeys("Dr. Ada Oncologist");
        browser.findElement(By.id("requesterAddress")).sendKeys("1 Clinic Way, Portland OR 97201");
        browser.findElement(By.id("memberId")).sendKeys("M998877");
        browser.findElement(By.id("memberName")).sendKeys("Pat Example");
        ((JavascriptExecutor) browser).executeScript("document.getElementById('dateOfService').value = '2026-12-15'");
        new Select(browser.findElement(By.id("therapy"))).selectByValue("TUMOR_INFILTRATING_LYMPHOCYTES");
        browser.findElement(By.id("description")).sendKeys("TIL therapy for metastatic melanoma");
        click(By.xpath("//button[text()='File the case']"));

        awaitText(By.id("state"), "RECOMMENDED");
        assertThat(browser.getPageSource()).contains("NOT_COVERED").contains("Policy No. 42")
                .as("the seed passage is shown").contains("<blockquote>");
        assertThat(browser.findElements(By.xpath("//button[text()='Sign the decision']"))).as("intake cannot sign").isEmpty();
        String casePage = browser.getCurrentUrl().replaceAll("\\?.*", "");
        signOut();

        signIn("dr.paul");
        assertThat(browser.getPageSource()).contains("Pat Example");
        browser.get(casePage);
        everyFieldHasALabel();
        WebElement outcome = browser.findElement(By.id("outcome"));
        assertThat(new Select(outcome).getFirstSelectedOption().getAttribute("value")).isEqualTo("DENIED");
        click(By.xpath("//button[text()='Sign the decision']"));
        awaitText(By.id("state"), "DECIDED");
        awaitText(By.id("decision"), "DENIED");
        assertThat(browser.getPageSource()).contains("signed by dr.paul");

        click(By.xpath("//button[text()='Send the notice']"));
        awaitText(By.id("state"), "NOTIFIED");
        Path screenshot = Path.of("target", "workbench-case.png");
        Files.createDirectories(screenshot.getParent());
        Files.write(screenshot, ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(screenshot)).isPositive();

        assertThat(pdfBehind(By.id("notice-link"))).contains("Notice of Denial of Medical Coverage").contains("Pat Example")
                .contains("65 calendar days");
    }

    @Test
    void aReconsiderationIsFiledDecidedByAnUninvolvedPhysicianAndNoticed() throws Exception {
        String caseId = ReconsiderationApiTest.deniedCaseOn(server, "ines", "dr.paul");
        signIn("ines");
        browser.get(url("/workbench/cases/" + caseId));
        everyFieldHasALabel();
        new Select(browser.findElement(By.id("requestedBy"))).selectByValue("MEMBER");
        browser.findElement(By.id("requesterName")).sendKeys("Pat Example");
        browser.findElement(By.id("appealReason")).sendKeys("My oncologist says TIL is my best option.");
        click(By.xpath("//button[text()='File the reconsideration']"));
        awaitText(By.id("appeal-state"), "IN_REVIEW");
        String appealPage = browser.getCurrentUrl().replaceAll("\\?.*", "");
        assertThat(browser.getPageSource()).contains("The engine's recommendation on reconsideration").contains("NOT_COVERED");
        assertThat(browser.findElements(By.xpath("//button[text()='Decide the reconsideration']"))).as("intake cannot decide").isEmpty();
        browser.get(url("/workbench"));
        assertThat(browser.findElement(By.xpath("//td[text()='Reconsideration']"))).as("the queue shows its type").isNotNull();
        signOut();

        signIn("dr.paul");
        browser.get(appealPage);
        browser.findElement(By.id("rationale")).sendKeys("No new evidence.");
        click(By.xpath("//button[text()='Decide the reconsideration']"));
        assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText()).as("the physician who signed the denial may not decide")
                .contains("took part in the organization determination");
        awaitText(By.id("appeal-state"), "IN_REVIEW");
        signOut();

        signIn("dr.quinn");
        browser.get(appealPage);
        everyFieldHasALabel();
        new Select(browser.findElement(By.id("outcome"))).selectByValue("UPHELD");
        browser.findElement(By.id("rationale")).sendKeys("TIL remains investigational for this indication.");
        click(By.xpath("//button[text()='Decide the reconsideration']"));
        awaitText(By.id("appeal-state"), "FORWARDED_TO_IRE");
        awaitText(By.id("appeal-outcome"), "UPHELD");
        assertThat(browser.findElement(By.id("forwarded")).getText()).isEqualTo("UPHELD");
        click(By.xpath("//button[text()='Send the decision notice']"));
        awaitText(By.cssSelector("[role=status]"), "Notice sent.");
        assertThat(pdfBehind(By.cssSelector("a.notice-sent")))
                .contains("We Did Not Change Our Decision").contains("Dr. Paula Quinn, MD, hematology and oncology");
        signOut();
    }

    @Test
    void theQueueFlagsAndThePolicyPageShowsItsReviewStatus() {
        signIn("ines");
        everyFieldHasALabel();
        click(By.linkText("Policy"));
        awaitText(By.tagName("h1"), "Immunological Cellular Therapies and Gene Therapies");
        assertThat(browser.getPageSource()).contains("REVIEW OVERDUE").contains("2025-07-01");
        assertThat(browser.findElement(By.id("review-status")).getText())
                .startsWith("Version 2025-07-01: next review 2026-04").contains("since 2026-05-01");
        assertThat(browser.findElement(By.id("review-changes")).getText()).contains("first published version");
        signOut();
    }

    @Test
    void aWrongPasswordIsRefusedOnTheSignInPage() {
        browser.get(url("/workbench/sign-in"));
        browser.findElement(By.id("username")).sendKeys("ines");
        browser.findElement(By.id("password")).sendKeys("not the password", Keys.ENTER);
        assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText()).contains("username or password is not right");
        assertThat(browser.getCurrentUrl()).endsWith("/workbench/sign-in");
    }
}
