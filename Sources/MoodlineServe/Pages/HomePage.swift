/// The upload page: choose a video or photos, watch the upload and the analysis progress, then read the report
/// and download each output file.
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
            <section id="progress-section" hidden>
              <h2>Progress</h2>
              <p id="stage" class="muted"></p>
              <progress id="bar" max="1" value="0"></progress>
              <p id="problems" class="muted"></p>
            </section>
            <section id="results" hidden>
              <h2>Results</h2>
              <div id="inputs"></div>
              <iframe id="report" title="Report" hidden></iframe>
            </section>
            </main>
            <script>
            "use strict";
            const $ = (id) => document.getElementById(id);
            function show(id) { $(id).hidden = false; }
            function setStage(text, isError) { $("stage").textContent = text; $("stage").className = isError ? "error" : "muted"; }

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
                follow(reply.id);
              };
              request.onerror = () => { setStage("The upload failed: the server could not be reached.", true); $("start").disabled = false; };
              request.send(form);
            });

            function follow(id) {
              setStage("Waiting for a free slot…");
              $("bar").removeAttribute("value");
              const events = new EventSource("/api/jobs/" + id + "/events");
              events.addEventListener("progress", (e) => progress(JSON.parse(e.data)));
              events.addEventListener("done", (e) => { events.close(); finished(JSON.parse(e.data)); });
              events.onerror = () => { events.close(); poll(id); };
            }

            function poll(id) {
              fetch("/api/jobs/" + id).then((r) => r.json()).then((state) => {
                if (["done", "failed", "stopped"].includes(state.status)) finished(state); else { progress(state); setTimeout(() => poll(id), 1000); }
              });
            }

            function progress(state) {
              document.body.dataset.job = state.id;
              if (state.status === "queued") { setStage("Waiting for a free slot…"); return; }
              const expected = state.framesExpected;
              if (expected) { $("bar").max = expected; $("bar").value = state.framesDone; }
              setStage("Analysing " + (state.current || "") + ": " + state.framesDone + (expected ? " of " + expected : "") + " frames");
              $("problems").textContent = state.problems.length ? state.problems.length + " problem(s): " + state.problems.slice(-1)[0] : "";
            }

            function finished(state) {
              $("start").disabled = false;
              document.body.dataset.status = state.status;
              if (state.status !== "done") { setStage("The analysis " + state.status + (state.error ? ": " + state.error : "."), true); return; }
              $("bar").max = 1; $("bar").value = 1;
              setStage("Done: " + state.framesDone + " frames analysed.");
              const inputs = $("inputs");
              inputs.textContent = "";
              let firstReport = null;
              for (const input of state.inputs) {
                const title = document.createElement("h3");
                title.textContent = input.name + ": " + input.faces + " faces, " + input.tracks + " tracks (" + input.status + ")";
                inputs.appendChild(title);
                const list = document.createElement("ul");
                list.className = "files";
                for (const file of input.files) {
                  const item = document.createElement("li");
                  const link = document.createElement("a");
                  link.href = file + "?download=1";
                  link.textContent = decodeURIComponent(file.split("/").slice(4).join("/"));
                  item.appendChild(link);
                  list.appendChild(item);
                }
                inputs.appendChild(list);
                if (input.report && !firstReport) firstReport = input.report;
              }
              show("results");
              if (firstReport) { $("report").src = firstReport; $("report").hidden = false; }
            }
            </script>
            """)
}
