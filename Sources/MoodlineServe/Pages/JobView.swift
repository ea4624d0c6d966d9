/// The part of a page that shows one job: its progress while it runs, then each input's outputs and the first
/// report. Shared by the upload page (which shows the job it just sent) and the job's own page (`/jobs/ID`, which
/// a reload or a bookmark opens).
enum JobView {
    /// The sections the script fills.
    static let sections = """
        <section id="progress-section" hidden>
          <h2>Progress</h2>
          <p id="stage" class="muted"></p>
          <progress id="bar" max="1" value="0"></progress>
          <p id="problems" class="muted"></p>
        </section>
        <section id="results" hidden>
          <h2>Results</h2>
          <p id="job-link" class="muted"></p>
          <div id="inputs"></div>
          <iframe id="report" title="Report" hidden></iframe>
        </section>
        """

    /// `follow(id)` streams a job's progress and shows its results; `openJob(id)` shows a job from its current state.
    /// Text from the server is set as text, never as markup.
    static let script = """
        const $ = (id) => document.getElementById(id);
        function show(id) { $(id).hidden = false; }
        function setStage(text, isError) { $("stage").textContent = text; $("stage").className = isError ? "error" : "muted"; }

        function follow(id) {
          show("progress-section");
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

        function openJob(id) {
          fetch("/api/jobs/" + id).then((r) => r.ok ? r.json() : Promise.reject(r)).then((state) => {
            if (["done", "failed", "stopped"].includes(state.status)) { show("progress-section"); finished(state); } else follow(id);
          }, () => { show("progress-section"); setStage("There is no such job: finished jobs are kept until newer ones replace them.", true); });
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
          const start = $("start");
          if (start) start.disabled = false;
          document.body.dataset.job = state.id;
          document.body.dataset.status = state.status;
          if (state.status !== "done") { setStage("The analysis " + state.status + (state.error ? ": " + state.error : "."), true); return; }
          $("bar").max = 1; $("bar").value = 1;
          setStage("Done: " + state.framesDone + " frames analysed" + (state.submitted ? " (sent " + new Date(state.submitted).toLocaleString() + ")" : "") + ".");
          $("job-link").textContent = "This job's page, to bookmark or send: ";
          const link = document.createElement("a");
          link.href = "/jobs/" + state.id;
          link.textContent = location.origin + "/jobs/" + state.id;
          $("job-link").appendChild(link);
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
        """
}
