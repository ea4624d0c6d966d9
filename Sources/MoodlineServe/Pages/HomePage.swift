/// The upload page: choose a video or photos, watch the upload and the analysis progress (on the job's own address,
/// `/jobs/ID`), then read the report and download each output file; and the recent jobs, each linking its page.
enum HomePage {
    static let html = PageStyle.document(
        title: "Moodline", css: "",
        body: """
            <main>
            <section>
              <h2>Analyse a video or photos</h2>
              <p class="muted">Choose one video, or several photos (they are analysed as one set). Files stay on this computer:
              the server runs here and keeps them in its work folder.</p>
              <form id="upload">
                <input id="files" name="files" type="file" multiple accept="video/*,image/*" required>
                <button id="start" type="submit">Analyse</button>
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
