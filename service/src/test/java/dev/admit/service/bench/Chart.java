package dev.admit.service.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Two panels, throughput and p99 latency against concurrency (log scale), one line per series. */
final class Chart {

    record Series(String name, Color color, List<Integer> concurrency, List<Double> throughput, List<Double> p99Ms) {}

    private static final int PANEL_WIDTH = 520;
    private static final int HEIGHT = 420;
    private static final int MARGIN = 60;

    static void write(Path file, String title, List<Series> series) throws IOException {
        BufferedImage image = new BufferedImage(PANEL_WIDTH * 2, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, MARGIN, 22);
        panel(g, 0, "throughput (requests/s)", series, true);
        panel(g, PANEL_WIDTH, "p99 latency (ms)", series, false);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static void panel(Graphics2D g, int left, String label, List<Series> series, boolean throughput) {
        int x0 = left + MARGIN;
        int y0 = HEIGHT - MARGIN;
        int width = PANEL_WIDTH - 2 * MARGIN;
        int height = HEIGHT - 2 * MARGIN - 20;
        double max = series.stream()
                .flatMap(s -> (throughput ? s.throughput() : s.p99Ms()).stream())
                .mapToDouble(Double::doubleValue)
                .max()
                .orElse(1);
        max = max <= 0 ? 1 : max * 1.1;
        List<Integer> xs = series.isEmpty() ? List.of(1) : series.get(0).concurrency();
        double minLog = Math.log(xs.get(0));
        double maxLog = Math.log(xs.get(xs.size() - 1));
        double spanLog = Math.max(1e-9, maxLog - minLog);
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1));
        g.drawLine(x0, y0, x0 + width, y0);
        g.drawLine(x0, y0, x0, y0 - height);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 4; i++) {
            int y = y0 - height * i / 4;
            g.drawString(String.format("%.0f", max * i / 4), left + 4, y + 4);
        }
        for (int x : xs) {
            int px = x0 + (int) ((Math.log(x) - minLog) / spanLog * width);
            g.drawString(Integer.toString(x), px - 4, y0 + 16);
        }
        g.setColor(Color.BLACK);
        g.drawString(label + " vs concurrent callers", x0, y0 - height - 8);
        int legend = 0;
        for (Series s : series) {
            List<Double> ys = throughput ? s.throughput() : s.p99Ms();
            g.setColor(s.color());
            g.setStroke(new BasicStroke(2));
            int previousX = -1;
            int previousY = -1;
            for (int i = 0; i < ys.size(); i++) {
                int px = x0 + (int) ((Math.log(s.concurrency().get(i)) - minLog) / spanLog * width);
                int py = y0 - (int) (ys.get(i) / max * height);
                g.fillOval(px - 3, py - 3, 6, 6);
                if (previousX >= 0) {
                    g.drawLine(previousX, previousY, px, py);
                }
                previousX = px;
                previousY = py;
            }
            g.drawString(s.name(), x0 + 10, y0 - height + 14 + 14 * legend++);
        }
    }
}
