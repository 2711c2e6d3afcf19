package org.kabar.bench;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The PNG of a run: messages delivered per second over time, and the latency percentiles. */
final class Charts {

  private Charts() {}

  static void write(Path file, String name, List<LoadGenerator.Result> results) throws IOException {
    XYSeriesCollection perSecond = new XYSeriesCollection();
    for (LoadGenerator.Result r : results) {
      XYSeries series = new XYSeries(r.label() + " delivered/s");
      for (long[] row : r.perSecond()) {
        series.add(row[0], row[3]);
      }
      perSecond.addSeries(series);
    }
    XYPlot throughput =
        new XYPlot(
            perSecond,
            new NumberAxis("second"),
            new NumberAxis("messages delivered per second"),
            new XYLineAndShapeRenderer(true, false));
    CombinedDomainXYPlot top = new CombinedDomainXYPlot(new NumberAxis("second"));
    top.add(throughput);
    JFreeChart over = new JFreeChart(name + ": throughput over time", top);

    DefaultCategoryDataset percentiles = new DefaultCategoryDataset();
    for (LoadGenerator.Result r : results) {
      for (double p : new double[] {50, 90, 99, 99.9}) {
        percentiles.addValue(
            r.latencyMicros().getValueAtPercentile(p) / 1000.0, r.label(), "p" + p);
      }
      percentiles.addValue(r.latencyMicros().getMaxValue() / 1000.0, r.label(), "max");
    }
    CategoryPlot latency =
        new CategoryPlot(
            percentiles,
            new CategoryAxis("percentile"),
            new NumberAxis("delivery latency, ms"),
            new BarRenderer());
    JFreeChart bars = new JFreeChart(name + ": delivery latency", latency);
    bars.addSubtitle(new TextTitle("send to receipt, one clock"));

    BufferedImage image = new BufferedImage(1000, 900, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    over.draw(g, new Rectangle2D.Double(0, 0, 1000, 450));
    bars.draw(g, new Rectangle2D.Double(0, 450, 1000, 450));
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  /** One bar chart per measure, side by side: a value per target. */
  static void bars(Path file, String title, Map<String, Map<String, Double>> measures)
      throws IOException {
    BufferedImage image = new BufferedImage(1000, 450, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    int x = 0;
    int width = 1000 / Math.max(1, measures.size());
    for (Map.Entry<String, Map<String, Double>> measure : new TreeMap<>(measures).entrySet()) {
      DefaultCategoryDataset data = new DefaultCategoryDataset();
      measure.getValue().forEach((target, value) -> data.addValue(value, target, measure.getKey()));
      CategoryPlot plot =
          new CategoryPlot(
              data, new CategoryAxis(""), new NumberAxis(measure.getKey()), new BarRenderer());
      JFreeChart chart = new JFreeChart(measure.getKey(), plot);
      chart.draw(g, new Rectangle2D.Double(x, 0, width, 450));
      x += width;
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }
}
