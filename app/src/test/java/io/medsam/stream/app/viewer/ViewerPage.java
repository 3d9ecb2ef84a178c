package io.medsam.stream.app.viewer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;

/**
 * The viewer's page in Debian's headless chromium, driven through Debian's chromedriver (no driver
 * download): real mouse events on the canvas, at the page's zoom (each slice pixel is {@code zoom}
 * screen pixels; a pixel is hit at its middle, {@code zoom * x + zoom / 2}).
 */
final class ViewerPage implements AutoCloseable {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriver driver;
  private final int zoom = 2;

  ViewerPage(final String url) {
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    final ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1500,1000",
        "--force-device-scale-factor=1");
    final ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    this.driver = new ChromeDriver(service, options);
    driver.get(url);
  }

  Object js(final String script, final Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  static void await(final String what, final Duration timeout, final BooleanSupplier done)
      throws InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  /** Waits for the series in the list with {@code embedded} embedded slices, then opens it. */
  void openSeries(final String seriesUid, final int embedded) throws InterruptedException {
    await(
        seriesUid + " with " + embedded + " embedded slices in the list",
        Duration.ofMinutes(3),
        () ->
            Boolean.TRUE.equals(
                js(
                    "return [...document.querySelectorAll('#series li')].some(li =>"
                        + " li.dataset.series === arguments[0]"
                        + " && li.innerText.includes(arguments[1]))",
                    seriesUid,
                    embedded + " embedded")));
    final By item = By.cssSelector("#series li[data-series='" + seriesUid + "']");
    await(
        "a click on " + seriesUid,
        Duration.ofSeconds(30),
        () -> {
          try {
            driver.findElement(item).click();
            return seriesUid.equals(js("return state.seriesUid"));
          } catch (StaleElementReferenceException e) {
            return false; // the list was redrawn under the click: again
          }
        });
    await("the series' slices", Duration.ofSeconds(30), () -> js("return state.index") != null);
  }

  /** Types the slice index and waits until that slice is drawn. */
  void showSlice(final int index) throws InterruptedException {
    final WebElement input = driver.findElement(By.id("slice-index"));
    input.clear();
    input.sendKeys(String.valueOf(index), Keys.TAB);
    await(
        "slice " + index,
        Duration.ofSeconds(30),
        () ->
            Long.valueOf(index).equals(js("return state.index"))
                && Boolean.TRUE.equals(
                    js("return state.image !== null && sliceKey().endsWith('/' + state.index)")));
  }

  private WebElement overlay() {
    return driver.findElement(By.id("overlay"));
  }

  /** Offsets from the canvas' centre of the middle of pixel (x, y). */
  private int[] offset(final int x, final int y) {
    final WebElement c = overlay();
    final int w = c.getSize().getWidth();
    final int h = c.getSize().getHeight();
    return new int[] {zoom * x + zoom / 2 - w / 2, zoom * y + zoom / 2 - h / 2};
  }

  /** Drags from pixel (x0, y0) to pixel (x1, y1) with the mouse. */
  void drag(final int x0, final int y0, final int x1, final int y1) {
    final int[] a = offset(x0, y0);
    final int[] b = offset(x1, y1);
    new Actions(driver)
        .moveToElement(overlay(), a[0], a[1])
        .clickAndHold()
        .moveToElement(overlay(), b[0], b[1])
        .release()
        .perform();
  }

  /** Picks a tool: box, brush or eraser. */
  void tool(final String name) {
    driver.findElement(By.cssSelector("input[name='tool'][value='" + name + "']")).click();
  }

  void brushRadius(final int r) {
    final WebElement input = driver.findElement(By.id("brush-size"));
    input.clear();
    input.sendKeys(String.valueOf(r));
  }

  /** One click (mouse down, up) on pixel (x, y). */
  void click(final int x, final int y) {
    final int[] a = offset(x, y);
    new Actions(driver).moveToElement(overlay(), a[0], a[1]).click().perform();
  }

  /** Sends the last box over slices z0..z1 as a 3D prompt. */
  void walk(final int z0, final int z1) {
    for (final String[] f : new String[][] {{"z0", "" + z0}, {"z1", "" + z1}}) {
      final WebElement input = driver.findElement(By.id(f[0]));
      input.clear();
      input.sendKeys(f[1]);
    }
    driver.findElement(By.id("walk")).click();
  }

  /** Chooses "ingested" or "model" and waits for the slice drawn at that size. */
  void view(final String view, final int width) throws InterruptedException {
    driver.findElement(By.cssSelector("#view option[value='" + view + "']")).click();
    await(
        view + " view",
        Duration.ofSeconds(30),
        () -> Long.valueOf(width).equals(js("return state.image ? state.image.w : -1")));
  }

  long overlayMaskPixels() {
    return (Long) js("return window.medsamViewer.overlayMaskPixels()");
  }

  int latencyCount() {
    return ((Long) js("return state.latencies.length")).intValue();
  }

  @SuppressWarnings("unchecked")
  List<Number> latencies() {
    return (List<Number>) js("return state.latencies");
  }

  String lastPromptId() {
    return (String) js("return state.lastMask ? state.lastMask.promptId : null");
  }

  void submit() {
    driver.findElement(By.id("submit")).click();
  }

  String lastCorrectionId() {
    return (String) js("return state.lastCorrection ? state.lastCorrection.correctionId : null");
  }

  String message() {
    return driver.findElement(By.id("message")).getText();
  }

  String messageClass() {
    return driver.findElement(By.id("message")).getAttribute("class");
  }

  String maskInfo() {
    return driver.findElement(By.id("mask-info")).getText();
  }

  void screenshot(final Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
  }

  @Override
  public void close() {
    driver.quit();
  }
}
