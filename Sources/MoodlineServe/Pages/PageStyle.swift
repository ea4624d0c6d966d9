/// The look and frame shared by the web app's pages.
enum PageStyle {
    /// A whole page: the shared style and navigation around `body`, with the page's own `css`.
    static func document(title: String, css pageCSS: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title>
        <style>
        \(css)
        \(pageCSS)
        </style>
        </head>
        <body>
        <header><h1>Moodline</h1><nav><a href="/">Analyse files</a><a href="/live">Live camera</a></nav></header>
        \(body)
        </body>
        </html>
        """
    }

    static let css = """
        :root { --ink: #1d2330; --muted: #5b6475; --line: #d9dee7; --accent: #2f6fde; --bad: #b3261e; }
        * { box-sizing: border-box; }
        body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 0; background: #f6f7fa; }
        header { background: #fff; border-bottom: 1px solid var(--line); padding: 12px 24px; display: flex; gap: 24px; align-items: baseline; }
        header h1 { font-size: 18px; margin: 0; }
        header nav a { margin-right: 16px; color: var(--accent); text-decoration: none; }
        main { max-width: 1100px; margin: 24px auto; padding: 0 24px; }
        section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin-bottom: 20px; }
        h2 { font-size: 16px; margin: 0 0 12px; }
        .muted { color: var(--muted); }
        .error { color: var(--bad); font-weight: 600; }
        progress { width: 100%; height: 14px; }
        button { font: inherit; padding: 6px 16px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
        button:disabled { opacity: .5; cursor: default; }
        ul.files { columns: 2; padding-left: 18px; }
        iframe { width: 100%; height: 720px; border: 1px solid var(--line); border-radius: 6px; }
        """
}
