/// The upload page: choose a video or photos, watch the upload and the analysis progress (on the job's own address,
/// `/jobs/ID`), then read the report and download each output file; and the recent jobs, each linking its page.
enum HomePage {
    /// The page, offering `pipelines` (by name, the server's own first) for the videos.
    static func html(pipelines: [String]) -> String {
        let escape = { (text: String) in
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let choices = pipelines.map { "<option value=\"\(escape($0))\">\(escape($0))</option>" }.joined()
        return page.replacingOccurrences(of: "<!--pipelines-->", with: choices)
    }

    private static let page = PageStyle.document(
        title: "Moodline", css: "form label { margin-right: 14px; } details { margin-top: 10px; }",
        body: """
            <main>
            <section>
              <h2>Analyse a video or photos</h2>
              <p class="muted">Choose one video, or several photos (they are analysed as one set). Files stay on this computer:
              the server runs here and keeps them in its work folder.</p>
              <form id="upload">
                <input id="files" name="files" type="file" multiple accept="video/*,image/*" required>
                <button id="start" type="submit">Analyse</button>
                <details id="options"><summary>Options</summary>
                  <p><label>Pipeline for videos <select id="pipeline"><!--pipelines--></select></label>
                  <label>From <input id="from" size="9" placeholder="0:00"></label>
                  <label>to <input id="to" size="9" placeholder="the end"></label>
                  <span class="muted">(seconds or [HH:]MM:SS)</span></p>
                  <p><label>Main subject <select id="subject"><option value="">as the pipeline chooses</option>
                    <option value="longest">longest on screen</option><option value="largest">largest face</option>
                    <option value="center">nearest the middle</option><option value="all">none (all alike)</option></select></label>
                  <label><input id="annotate" type="checkbox"> Also write an annotated video (its boxes, tracks and labels)</label></p>
                </details>
              </form>
            </section>
            \(JobView.sections)
            <section id="recent" hidden>
              <h2>Recent jobs</h2>
              <ul id="jobs"></ul>
            </section>
            </main>
            <script>
            "use strict";
            \(JobView.script)

            $("upload").addEventListener("submit", (event) => {
              event.preventDefault();
              const files = $("files").files;
              if (!files.length) return;
              const form = new FormData();
              // The options first, as the command line's flags would be given.
              const options = { pipeline: $("pipeline").value, start: $("from").value, end: $("to").value, subject: $("subject").value };
              for (const [name, value] of Object.entries(options)) if (value.trim()) form.append(name, value.trim());
              if ($("annotate").checked) form.append("annotate", "1");
              for (const file of files) form.append("file", file, file.name);
              $("start").disabled = true;
              $("results").hidden = true;
              show("progress-section");
              setStage("Uploading…");
              const request = new XMLHttpRequest();
              request.open("POST", "/api/jobs");
              request.upload.onprogress = (e) => { if (e.lengthComputable) { $("bar").max = e.total; $("bar").value = e.loaded; } };
              request.onload = () => {
                let reply = {};
                try { reply = JSON.parse(request.responseText); } catch (e) {}
                if (request.status !== 202) { setStage(reply.error || ("The server answered " + request.status), true); $("start").disabled = false; return; }
                // The job's own address, so a reload or a bookmark finds it again.
                history.pushState(null, "", "/jobs/" + reply.id);
                follow(reply.id);
              };
              request.onerror = () => { setStage("The upload failed: the server could not be reached.", true); $("start").disabled = false; };
              request.send(form);
            });

            // The jobs the server knows, newest first, each linking its page.
            fetch("/api/jobs").then((r) => r.json()).then((reply) => {
              const list = $("jobs");
              for (const job of reply.jobs.slice(0, 20)) {
                const item = document.createElement("li");
                const link = document.createElement("a");
                link.href = "/jobs/" + job.id;
                link.textContent = job.files.join(", ") || job.id;
                item.appendChild(link);
                item.appendChild(document.createTextNode(" " + job.status + (job.submitted ? ", " + new Date(job.submitted).toLocaleString() : "")));
                list.appendChild(item);
              }
              if (reply.jobs.length) show("recent");
            });
            </script>
            """)
}
