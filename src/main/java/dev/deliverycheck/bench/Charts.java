package dev.deliverycheck.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of benchmark results (XChart, rendered headless). */
public final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 540;

    static {
        // Charts are drawn off-screen; a server without a display must not try to open one.
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** A series of an XY chart. */
    public record Line(String name, double[] x, double[] y) {
    }

    /** Grouped bars: one group per category, one bar per series. */
    public static Path bars(Path file, String title, String yTitle, List<String> categories,
                            Map<String, List<Double>> series) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setToolTipsEnabled(false);
        if (categories.stream().anyMatch(c -> c.length() > 14)) {
            // long names would run into each other side by side
            chart.getStyler().setXAxisLabelRotation(15);
        }
        series.forEach((name, values) -> chart.addSeries(name, categories, values));
        return save(chart, file);
    }

    /** Lines with markers; {@code logX}/{@code logY} use logarithmic axes (all values must be positive). */
    public static Path lines(Path file, String title, String xTitle, String yTitle, List<Line> lines, boolean logX,
                             boolean logY) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        for (Line l : lines) {
            XYSeries s = chart.addSeries(l.name(), l.x(), l.y());
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return save(chart, file);
    }

    private static Path save(Chart<?, ?> chart, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        String name = file.getFileName().toString();
        String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        Path target = file.resolveSibling(base + ".png");
        BitmapEncoder.saveBitmap(chart, file.resolveSibling(base).toString(), BitmapEncoder.BitmapFormat.PNG);
        return target;
    }
}
