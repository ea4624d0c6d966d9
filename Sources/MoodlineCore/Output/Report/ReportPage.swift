/// What every report page shares: the page around a body, with the report's style, and the colour legend.
enum ReportPage {
    /// Failed files and problems listed by name; the rest are counted.
    static let maximumFailures = 200

    /// The seven emotions in the report's colours.
    static func legend() -> String {
        "<p class=\"legend\">"
            + Emotion.allCases.map {
                "<span><i style=\"background:\(ReportCharts.colour($0))\"></i>\($0.rawValue)</span>"
            }.joined(separator: " ") + "</p>\n"
    }

    /// A whole page with the report's style; `body` is trusted markup.
    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="moodline \(MoodlineVersion.string)">
        <title>\(MarkupText.escape(title))</title>
        <style>
        body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:960px}
        h1{font-size:20px;margin:0 0 8px}h2{font-size:16px;margin:24px 0 6px}h3{font-size:15px;margin:0 0 6px}
        table{border-collapse:collapse}th{text-align:left;color:#666;font-weight:normal;padding:2px 12px 2px 0;vertical-align:top}
        td{padding:2px 0}.track{border-top:1px solid #ddd;padding:12px 0}.row{display:flex;gap:16px;align-items:flex-start;margin-bottom:8px}
        img.face{image-rendering:pixelated;border:1px solid #ccc}.subject{background:#222;color:#fff;border-radius:3px;padding:1px 6px;font-size:12px}
        .share{border-left:8px solid;padding:0 6px 0 4px;margin-right:4px;white-space:nowrap}.chart svg{display:block}
        .legend span{margin-right:10px;white-space:nowrap}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
        .sheet{display:flex;flex-wrap:wrap;gap:10px}.photo{margin:0;font-size:12px;width:228px;cursor:zoom-in}.photo[hidden]{display:none}
        .photo.big{width:100%;cursor:zoom-out}.box:hover{z-index:2}
        .pic{position:relative;line-height:0}.pic img{display:block;width:100%;height:auto}
        .box{position:absolute;border:2px solid;box-sizing:border-box;font-weight:normal}
        .box span{position:absolute;left:-2px;bottom:100%;color:#fff;font-size:11px;line-height:14px;padding:0 3px;white-space:nowrap}
        .box.uncertain{border:2px dashed #9e9e9e}.box.uncertain span{background:#757575}.photo figcaption{overflow-wrap:anywhere;margin-top:3px}
        .controls label{margin-right:12px}.uncertain{color:#b00}.warning{color:#b00;font-weight:bold}
        .problems li,.failures li,.no-face li{font-family:monospace;font-size:12px}
        .episode-faces{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px}.episode-face{margin:0;border-left:6px solid;padding:4px;font-size:12px;width:150px}
        </style></head>
        <body>
        \(body)
        <p class="footer"><small>Written by moodline \(MoodlineVersion.string). Probabilities are smoothed over time; uncertain readings are left out of tracks unless asked for.</small></p>
        </body></html>

        """
    }
}
