package org.kabar.systemtest;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoSuchSessionException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real, headless Chromium (Debian's chromium and chromium-driver) driven by Selenium, with
 * screenshots kept under target/screenshots as test artifacts.
 */
final class Browser implements AutoCloseable {

  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final ChromeDriver driver;
  private final WebDriverWait wait;

  Browser() {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,900");
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(15));
  }

  ChromeDriver driver() {
    return driver;
  }

  void open(String url) {
    driver.get(url);
  }

  /** The element, once it is visible. */
  WebElement find(String id) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  /**
   * The element's text, read again if the page replaced the element meanwhile (the overview
   * re-renders itself every 3 s).
   */
  String textOf(String id) {
    for (int attempt = 1; ; attempt++) {
      try {
        return find(id).getText();
      } catch (StaleElementReferenceException replaced) {
        if (attempt >= 5) {
          throw replaced;
        }
      }
    }
  }

  /**
   * Waits until the element's text contains the given text. A page being replaced while it is read
   * (a form just posted) makes the driver fail that one reading; it is read again, and only the
   * timeout ends the wait.
   */
  void awaitText(String id, String text) {
    try {
      wait.until(
          page -> {
            try {
              return page.findElement(By.id(id)).getText().contains(text);
            } catch (NoSuchSessionException gone) {
              throw gone;
            } catch (WebDriverException midNavigation) {
              return false;
            }
          });
    } catch (TimeoutException e) {
      throw new AssertionError("no '" + text + "' in #" + id, e);
    }
  }

  /**
   * Types into a field and checks that the field holds exactly that: keys typed while a slow page
   * was still settling have been lost, and the form then went off with a wrong value.
   */
  void type(String id, String text) {
    String holds = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      try {
        WebElement field = find(id);
        field.clear();
        field.sendKeys(text);
        holds = field.getDomProperty("value");
        if (text.equals(holds)) {
          return;
        }
      } catch (StaleElementReferenceException replaced) {
        // the page replaced the field meanwhile: type into the new one
      }
    }
    throw new AssertionError("field " + id + " holds '" + holds + "' after typing '" + text + "'");
  }

  /** Waits until the page's heading (its h1) contains the given text. */
  void awaitHeading(String text) {
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), text));
  }

  void click(String id) {
    find(id).click();
  }

  /** Clicks a button that posts its form, and waits until the next page has replaced this one. */
  void submit(String id) {
    WebElement page = driver.findElement(By.tagName("html"));
    find(id).click();
    wait.until(replaced -> isGone(page));
  }

  /**
   * Whether an element has left the document. Chromium reports a node of a page being replaced
   * either as stale or, while the new document is still being built, with an inspector error that
   * the node "does not belong to the document"; both mean the old page is gone.
   */
  private static boolean isGone(WebElement element) {
    try {
      element.isEnabled();
      return false;
    } catch (StaleElementReferenceException stale) {
      return true;
    } catch (NoSuchSessionException gone) {
      throw gone;
    } catch (WebDriverException midNavigation) {
      if (String.valueOf(midNavigation.getMessage()).contains("does not belong to the document")) {
        return true;
      }
      throw midNavigation;
    }
  }

  /** The whole page's visible text. */
  String text() {
    return driver.findElement(By.tagName("body")).getText();
  }

  void resize(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  /** Saves a screenshot as target/screenshots/NAME.png. */
  void screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Files.copy(
        shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
