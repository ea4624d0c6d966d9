/// The live page: the browser's camera goes to the server frame by frame over a WebSocket; each face comes back
/// with its box, track number, label and probabilities, drawn over the video, with a rolling emotion chart.
enum LivePage {
    static let html = PageStyle.document(
        title: "Moodline live",
        css: """
            .stage { position: relative; display: inline-block; background: #000; border-radius: 6px; overflow: hidden; }
            .stage video, .stage canvas { display: block; width: 640px; max-width: 100%; }
            .stage canvas { position: absolute; left: 0; top: 0; height: 100%; }
            #chart { width: 100%; height: 220px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
            .legend span { display: inline-block; margin-right: 14px; }
            .legend i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
            """,
        body: """
            <main>
            <section>
              <h2>Live camera</h2>
              <p id="status" class="muted">Asking for the camera…</p>
              <div class="stage"><video id="video" autoplay muted playsinline></video><canvas id="overlay"></canvas></div>
              <p id="readout" class="muted"></p>
            </section>
            <section>
              <h2>Emotions over the last 30 seconds <span class="muted" id="chart-note">(the largest face)</span></h2>
              <canvas id="chart" width="1000" height="220"></canvas>
              <p class="legend" id="legend"></p>
            </section>
            </main>
            <script>
            "use strict";
            const $ = (id) => document.getElementById(id);
            const colours = {};
            const video = $("video"), overlay = $("overlay"), chart = $("chart");
            const grab = document.createElement("canvas");
            const history = [];
            let emotions = [], maxFps = 10, socket = null, sentAt = 0, results = 0, faces = 0;
            // The chart's moving average: its time constant (from the server's pipeline), state, and the track it follows.
            let smoothingSeconds = 0, smoothed = null, smoothedTrack = null, smoothedAt = 0;

            function status(text, isError) { $("status").textContent = text; $("status").className = isError ? "error" : "muted"; }

            async function start() {
              let stream;
              try {
                stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
              } catch (error) {
                status("The camera could not be opened: " + error.message, true);
                return;
              }
              video.srcObject = stream;
              await new Promise((resolve) => { if (video.readyState >= 2) resolve(); else video.onloadeddata = resolve; });
              const scheme = location.protocol === "https:" ? "wss://" : "ws://";
              socket = new WebSocket(scheme + location.host + "/api/live");
              socket.binaryType = "arraybuffer";
              socket.onmessage = (event) => receive(JSON.parse(event.data));
              socket.onclose = (event) => status("Disconnected" + (event.reason ? ": " + event.reason : "") + ". Reload the page to reconnect.", true);
              socket.onerror = () => status("The server could not be reached.", true);
            }

            function receive(message) {
              if (message.hello) {
                emotions = message.hello.emotions;
                emotions.forEach((emotion, k) => { colours[emotion] = message.hello.colours[k]; });
                maxFps = message.hello.max_fps;
                smoothingSeconds = message.hello.smoothing_s || 0;
                chart.dataset.smoothing = smoothingSeconds;
                if (smoothingSeconds > 0) $("chart-note").textContent = "(the largest face, smoothed over about " + (2 * smoothingSeconds).toFixed(1) + " s)";
                $("legend").innerHTML = emotions.map((e) => '<span><i style="background:' + colours[e] + '"></i>' + e + "</span>").join("");
                status("Connected: reading your camera.");
                send();
                return;
              }
              if (message.faces === undefined) {
                // Dropped for coming too soon, or refused: try again after one frame interval.
                if (message.error) status(message.error, true);
                setTimeout(send, 1000 / maxFps);
                return;
              }
              const latency = performance.now() - sentAt;
              results += 1;
              faces = message.faces ? message.faces.length : 0;
              document.body.dataset.results = results;
              document.body.dataset.faces = faces;
              draw(message);
              plot(message);
              $("readout").textContent = "Frame " + message.frame + ": " + faces + " face(s), analysed in " + message.analysis_ms +
                " ms, round trip " + latency.toFixed(0) + " ms" + (message.dropped ? ", " + message.dropped + " dropped" : "");
              setTimeout(send, Math.max(0, 1000 / maxFps - latency));
            }

            function send() {
              if (!socket || socket.readyState !== WebSocket.OPEN) return;
              grab.width = video.videoWidth; grab.height = video.videoHeight;
              grab.getContext("2d").drawImage(video, 0, 0);
              grab.toBlob((blob) => { sentAt = performance.now(); blob.arrayBuffer().then((bytes) => socket.send(bytes)); }, "image/jpeg", 0.85);
            }

            function draw(message) {
              overlay.width = video.videoWidth; overlay.height = video.videoHeight;
              const context = overlay.getContext("2d");
              context.clearRect(0, 0, overlay.width, overlay.height);
              const scale = message.width ? overlay.width / message.width : 1;
              context.lineWidth = 3;
              context.font = "bold 16px system-ui, sans-serif";
              for (const face of message.faces || []) {
                const [x, y, w, h] = face.box.map((v) => v * scale);
                const colour = face.uncertain ? "#bbbbbb" : colours[face.label];
                context.strokeStyle = colour;
                context.setLineDash(face.uncertain ? [6, 4] : []);
                context.strokeRect(x, y, w, h);
                const text = "#" + face.track + " " + face.label + " " + Math.round(face.confidence * 100) + "%" + (face.uncertain ? " (uncertain)" : "");
                const width = context.measureText(text).width + 8;
                context.fillStyle = colour;
                context.fillRect(x, Math.max(0, y - 22), width, 22);
                context.fillStyle = "#fff";
                context.fillText(text, x + 4, Math.max(16, y - 6));
              }
            }

            // Causal exponential moving average of one track's probabilities; it starts again when the followed track changes,
            // and goes on across frames without a face (a gap in the line), as the batch outputs smooth a track across gaps.
            // An uncertain reading is left out, as in the batch outputs: the line holds its last value.
            function smooth(face, t) {
              if (!face) return null;
              if (face.track !== smoothedTrack) { smoothed = null; smoothedTrack = face.track; }
              if (face.uncertain) return smoothed;
              if (smoothed === null || smoothingSeconds <= 0) smoothed = face.probabilities.slice();
              else {
                const a = 1 - Math.exp(-Math.max(0, t - smoothedAt) / smoothingSeconds);
                smoothed = smoothed.map((v, k) => v + a * (face.probabilities[k] - v));
              }
              smoothedAt = t;
              return smoothed;
            }

            function plot(message) {
              const largest = (message.faces || []).reduce((best, f) => (!best || f.box[2] * f.box[3] > best.box[2] * best.box[3]) ? f : best, null);
              history.push({ t: message.seconds, p: smooth(largest, message.seconds) });
              while (history.length && history[0].t < message.seconds - 30) history.shift();
              chart.dataset.points = history.filter((h) => h.p).length;
              const context = chart.getContext("2d");
              const w = chart.width, h = chart.height;
              context.clearRect(0, 0, w, h);
              context.strokeStyle = "#e4e7ee"; context.lineWidth = 1;
              for (let i = 0; i <= 4; i++) { context.beginPath(); context.moveTo(0, h - i * h / 4); context.lineTo(w, h - i * h / 4); context.stroke(); }
              const x = (t) => w - (message.seconds - t) / 30 * w;
              emotions.forEach((emotion, k) => {
                context.strokeStyle = colours[emotion]; context.lineWidth = 2; context.beginPath();
                let drawing = false;
                for (const point of history) {
                  if (!point.p) { drawing = false; continue; }
                  const px = x(point.t), py = h - point.p[k] * (h - 4) - 2;
                  if (drawing) context.lineTo(px, py); else { context.moveTo(px, py); drawing = true; }
                }
                context.stroke();
              });
            }

            start();
            </script>
            """)
}
