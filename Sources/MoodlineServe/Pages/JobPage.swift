/// A job's own page (`/jobs/ID`): where the upload page goes once a job is accepted, so a reload, a bookmark or a
/// link sent to someone on the same machine shows the job's progress or results again.
enum JobPage {
    static let html = PageStyle.document(
        title: "Moodline: job", css: "",
        body: """
            <main>
            \(JobView.sections)
            <p><a href="/">Analyse other files</a></p>
            </main>
            <script>
            "use strict";
            \(JobView.script)
            openJob(location.pathname.split("/")[2] || "");
            </script>
            """)
}
