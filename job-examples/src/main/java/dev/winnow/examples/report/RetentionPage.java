package dev.winnow.examples.report;

import dev.winnow.connectors.clips.ClipCommittable;
import dev.winnow.connectors.clips.ClipIndex;
import dev.winnow.examples.live.Clock;
import dev.winnow.flink.types.CameraStatus;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of security-retention's {@code report.html} a person uses to look at what was kept: the
 * bytes kept against the cameras' encoded bytes, the model versions that decided, one row per
 * committed clip (clock time, length, peak people, the thumbnail of the peak frame with the boxes,
 * and a player, or a download where the codec does not play in a browser), and a
 * {@link CameraTimeline} per camera.
 *
 * <p>Everything comes from what the exactly-once sinks committed: the clip rows from the cameras'
 * {@code index.csv} (a clip still under its hidden in-progress name, or one the retention policy
 * deleted, has no row), thumbnails only where the committed file is there, so regenerating the page
 * after a failure and restore shows each clip once. Links are relative to the output directory, where
 * the page lives, so the folder can be copied or served as is.
 *
 * <p>The page records in attributes of {@code body} what the browser made of it:
 * {@code data-videos}/{@code data-videos-loaded}, {@code data-video-durations}, {@code data-images}/
 * {@code data-images-loaded} and {@code data-errors}/{@code data-error-list}, so a headless browser
 * test (or a person with the developer tools) sees at once whether every clip and thumbnail loads.
 */
public final class RetentionPage {
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** Counts what loaded and what failed; a media element may finish before the script runs, so its state is read too. */
    static final String PROBE_SCRIPT = """
            <script>
            (function () {
              var body = document.body, videos = 0, images = 0, errors = [], durations = [];
              function show() {
                body.setAttribute('data-videos-loaded', videos);
                body.setAttribute('data-images-loaded', images);
                body.setAttribute('data-video-durations', durations.join(' '));
                body.setAttribute('data-errors', errors.length);
                body.setAttribute('data-error-list', errors.join(' | '));
              }
              function once(el, f) { return function () { if (el.dataset.seen) return; el.dataset.seen = '1'; f(); show(); }; }
              var vs = document.querySelectorAll('video'), is = document.querySelectorAll('img');
              body.setAttribute('data-videos', vs.length);
              body.setAttribute('data-images', is.length);
              vs.forEach(function (v) {
                var ok = once(v, function () { videos++; durations.push(v.duration); });
                var bad = once(v, function () { errors.push('video ' + v.getAttribute('src') + ': ' + (v.error ? v.error.code + ' ' + v.error.message : 'error')); });
                v.addEventListener('loadedmetadata', ok);
                v.addEventListener('error', bad);
                if (v.error) bad(); else if (v.readyState >= 1) ok();
              });
              is.forEach(function (i) {
                var ok = once(i, function () { images++; });
                var bad = once(i, function () { errors.push('image ' + i.getAttribute('src')); });
                i.addEventListener('load', function () { (i.naturalWidth > 0 ? ok : bad)(); });
                i.addEventListener('error', bad);
                if (i.complete) (i.naturalWidth > 0 ? ok : bad)();
              });
              show();
            })();
            </script>""";

    private final RetentionReport report;
    private final Path out;
    private final String ffprobe;

    /** @param out the output directory the clips' paths are relative to, where the page is written */
    public RetentionPage(RetentionReport report, Path out, String ffprobe) {
        this.report = report;
        this.out = out;
        this.ffprobe = ffprobe;
    }

    static String clock(long millis, DateTimeFormatter f) {
        return f.format(Instant.ofEpochMilli(millis).atZone(Clock.zone()));
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, bytes >= 1 << 20 ? "%.2f MB" : "%.1f KB", bytes >= 1 << 20 ? bytes / 1048576.0 : bytes / 1024.0);
    }

    /** A relative link to a file under the output directory, each path segment percent-encoded (camera ids may hold spaces or #). */
    static String href(String relative) {
        try {
            return new URI(null, null, relative, null).toASCIIString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a relative path: " + relative, e);
        }
    }

    /** The summary, models, events and timelines sections, in that order. */
    public String sections() {
        StringBuilder b = new StringBuilder();
        b.append(summary()).append(models()).append(events()).append(timelines());
        return b.toString();
    }

    /** Bytes kept against the bytes the cameras encoded over the recorded time. */
    String summary() {
        RetentionReport.Video v = report.video(null);
        StringBuilder b = new StringBuilder();
        if (v.sourceBytes() == 0) {
            return "<p id=\"summary\">No camera recorded video (image folders keep frames, not video).</p>\n";
        }
        b.append(String.format(Locale.ROOT, "<p id=\"summary\" data-kept-bytes=\"%d\" data-source-bytes=\"%d\"><b>Kept %s of video in %d clips, of %s "
                        + "the cameras encoded: %.1f%% of the source (%.1f%% saved).</b> %.0f s of %.0f s recorded are in kept clips.</p>\n",
                v.clipBytes(), v.sourceBytes(), mb(v.clipBytes()), v.clips(), mb(v.sourceBytes()), 100.0 * v.clipBytes() / v.sourceBytes(),
                100 * v.savedShare(), v.keptMillis() / 1000.0, v.recordedMillis() / 1000.0));
        List<List<String>> rows = new ArrayList<>();
        for (String cam : cameras()) {
            RetentionReport.Video c = report.video(cam);
            rows.add(List.of(cam, String.valueOf(c.clips()), mb(c.clipBytes()), mb(c.sourceBytes()),
                    c.sourceBytes() == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100.0 * c.clipBytes() / c.sourceBytes())));
        }
        b.append(table(List.of("camera", "clips", "bytes kept", "source bytes", "kept share"), rows));
        return b.toString();
    }

    private List<String> cameras() {
        java.util.TreeSet<String> cams = new java.util.TreeSet<>();
        for (RetentionReport.SegmentRow s : report.segments()) cams.add(s.camera());
        for (ClipIndex.Row c : report.clips()) cams.add(c.camera());
        return new ArrayList<>(cams);
    }

    private static String table(List<String> header, List<List<String>> rows) {
        Html h = new Html("");
        h.table(header, rows);
        String page = h.render();
        return page.substring(page.indexOf("<table>"), page.lastIndexOf("</table>") + 8) + "\n";
    }

    /** One row per model version and what it decided (student, teacher or reused), from the verdicts. */
    String models() {
        Map<String, long[]> by = new TreeMap<>();
        for (RetentionReport.Decision d : report.decisions()) {
            long[] a = by.computeIfAbsent(modelName(d) + "\u0000" + d.modelVersion() + "\u0000" + d.decidedBy(),
                    k -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
            a[0]++;
            a[1] = Math.min(a[1], d.timestampMillis());
            a[2] = Math.max(a[2], d.timestampMillis());
        }
        StringBuilder b = new StringBuilder("<h2>Models that decided</h2>\n");
        if (by.isEmpty()) return b.append("<p>No verdicts were committed.</p>\n").toString();
        List<List<String>> rows = new ArrayList<>();
        by.forEach((k, a) -> {
            String[] p = k.split("\u0000", -1);
            rows.add(List.of(p[0], "v" + p[1], p[2], String.valueOf(a[0]), clock(a[1], DAY_TIME), clock(a[2], DAY_TIME)));
        });
        return b.append("<div id=\"models\">").append(table(List.of("model", "version", "decided by", "frames", "first frame", "last frame"), rows))
                .append("</div>\n").toString();
    }

    private static String modelName(RetentionReport.Decision d) {
        return d.modelName().isEmpty() ? "model" : d.modelName();
    }

    /** Which model versions decided the frames of one event, e.g. "detector v2 (40), teacher v1 by teacher (3)". */
    String decidedIn(String camera, long from, long to) {
        Map<String, Long> by = new TreeMap<>();
        for (RetentionReport.Decision d : report.decisions()) {
            if (!d.camera().equals(camera) || d.timestampMillis() < from || d.timestampMillis() > to) continue;
            String who = "student".equals(d.decidedBy()) ? "" : " by " + d.decidedBy();
            by.merge(modelName(d) + " v" + d.modelVersion() + who, 1L, Long::sum);
        }
        if (by.isEmpty()) return "no committed verdicts";
        StringBuilder b = new StringBuilder();
        by.forEach((m, n) -> b.append(b.length() == 0 ? "" : ", ").append(m).append(" (").append(n).append(')'));
        return b.toString();
    }

    String events() {
        List<ClipIndex.Row> clips = report.clips();
        StringBuilder b = new StringBuilder("<h2>Events</h2>\n");
        if (clips.isEmpty()) return b.append("<p>No clip was kept.</p>\n").toString();
        b.append("<table id=\"events\"><tr><th>camera</th><th>event</th><th>clock time</th><th>duration</th><th>peak people</th>"
                + "<th>decided by</th><th>peak frame</th><th>clip</th><th>clip bytes</th></tr>\n");
        for (ClipIndex.Row c : clips) {
            Path clip = out.resolve(c.clip());
            Path thumb = out.resolve(ClipCommittable.thumbnailOf(c.clip()));
            b.append("<tr class=\"event\" data-camera=\"").append(Html.escape(c.camera())).append("\" data-event=\"").append(c.eventId()).append("\">");
            b.append("<td>").append(Html.escape(c.camera())).append("</td><td>").append(c.eventId()).append("</td>");
            b.append("<td>").append(clock(c.eventStartMillis(), DAY_TIME)).append(" – ").append(clock(c.eventEndMillis(), TIME)).append("</td>");
            b.append(String.format(Locale.ROOT, "<td>%.1f s<br><small>clip %.1f s</small></td>", (c.eventEndMillis() - c.eventStartMillis()) / 1000.0,
                    (c.endMillis() - c.startMillis()) / 1000.0));
            b.append("<td>").append(c.peakCount()).append("</td>");
            b.append("<td>").append(Html.escape(decidedIn(c.camera(), c.eventStartMillis(), c.eventEndMillis()))).append("</td>");
            if (Files.isRegularFile(thumb)) {
                b.append("<td><img class=\"thumb\" src=\"").append(Html.escape(href(ClipCommittable.thumbnailOf(c.clip()))))
                        .append("\" width=\"160\" alt=\"peak frame of event ").append(c.eventId()).append(" with ").append(c.peakCount())
                        .append(" people boxed\"></td>");
            } else {
                b.append("<td>no thumbnail</td>");
            }
            b.append("<td>").append(player(c, clip)).append("</td>");
            b.append("<td>").append(mb(c.bytes())).append("<br><small>source ").append(mb(c.sourceBytes())).append("</small></td></tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    /** A player when the browser can play the clip, else why not and a download link. */
    private String player(ClipIndex.Row c, Path clip) {
        String link = Html.escape(href(c.clip()));
        String name = Html.escape(clip.getFileName().toString());
        if (!Files.isRegularFile(clip)) return "<span class=\"missing\">clip file " + Html.escape(c.clip()) + " is missing</span>";
        ClipProbe probe = ClipProbe.of(ffprobe, clip);
        if (probe.browserPlays(c.clip())) {
            return "<video class=\"clip\" controls preload=\"metadata\" width=\"320\" src=\"" + link + "\"></video><br><a href=\"" + link + "\">"
                    + name + "</a>";
        }
        String why = probe.problem() != null ? "ffprobe could not read it (" + Html.escape(probe.problem()) + ")"
                : Html.escape(probe.codecLabel()) + " in " + (c.clip().endsWith(".mkv") ? "Matroska" : "MP4") + ": a browser cannot play it; VLC or ffplay can";
        return "<span class=\"no-player\">" + why + ".</span><br><a class=\"download\" href=\"" + link + "\" download>download " + name + "</a>";
    }

    String timelines() {
        Map<String, List<CameraTimeline.Span>> recorded = new TreeMap<>(), kept = new TreeMap<>(), gaps = new TreeMap<>();
        for (RetentionReport.SegmentRow s : report.segments()) recorded.computeIfAbsent(s.camera(), k -> new ArrayList<>()).add(new CameraTimeline.Span(s.start(), s.end()));
        for (ClipIndex.Row c : report.clips()) kept.computeIfAbsent(c.camera(), k -> new ArrayList<>()).add(new CameraTimeline.Span(c.startMillis(), c.endMillis()));
        for (CameraStatus st : report.statuses()) {
            if (CameraStatus.GAP.equals(st.kind) && st.toMillis > st.fromMillis) {
                gaps.computeIfAbsent(st.cameraId, k -> new ArrayList<>()).add(new CameraTimeline.Span(st.fromMillis, st.toMillis));
            }
        }
        StringBuilder b = new StringBuilder("<h2>Timeline per camera</h2>\n");
        if (recorded.isEmpty() && kept.isEmpty()) return b.append("<p>No camera recorded video.</p>\n").toString();
        for (String cam : cameras()) {
            b.append("<div class=\"timeline-box\">").append(new CameraTimeline(cam, recorded.getOrDefault(cam, List.of()), kept.getOrDefault(cam, List.of()),
                    gaps.getOrDefault(cam, List.of())).render()).append("</div>\n");
        }
        return b.toString();
    }
}
