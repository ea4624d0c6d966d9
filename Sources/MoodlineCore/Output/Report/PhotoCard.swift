import Foundation
import MoodlineMedia

/// One photo on the photo report's sheet: its thumbnail with each face's box drawn over it, labelled and coloured
/// by the reading, and the data the page sorts and filters by; and the page's controls and script for that.
enum PhotoCard {
    /// Stands where a face's person goes in a card written before persons are known: the k-th one is face k's label
    /// prefix (`P3 `), `personsMarker` the card's list of persons. No escaped text can hold either (its `&` would
    /// read `&amp;`), so `withPersons` finds only these.
    static let personMarker = "&P;"
    static let personsMarker = "&PS;"

    /// The card for a photo with faces (`frame.preview` holds its thumbnail), with markers where its faces' persons
    /// go (`withPersons` fills them in).
    static func html(_ frame: AnalysedFrame) -> String {
        let file = frame.stamp.file ?? ""
        let name = MarkupText.escape(file)
        // The strongest certain reading of each emotion on the photo: what "sort by happy" orders by.
        var strongest = [Double](repeating: 0, count: Emotion.allCases.count)
        var labels: Set<String> = []
        for face in frame.faces {
            if face.quality.isUncertain {
                labels.insert("uncertain")
                continue
            }
            labels.insert(face.scores.label.rawValue)
            for (i, p) in face.scores.probabilities.enumerated() { strongest[i] = max(strongest[i], Double(p)) }
        }
        var html = "<figure class=\"photo\" data-file=\"\(name)\" data-faces=\"\(frame.faces.count)\""
        html += " data-labels=\"\(labels.sorted().joined(separator: " "))\""
        for (emotion, value) in zip(Emotion.allCases, strongest) {
            html += " data-\(emotion.rawValue)=\"\(FixedPoint.format(value, decimals: 3))\""
        }
        html += " data-persons=\"\(personsMarker)\"><div class=\"pic\">"
        if let preview = frame.preview, let jpeg = try? JPEGEncoder.encode(preview, quantiser: 7, what: file) {
            html +=
                "<img alt=\"\(name)\" width=\"\(preview.width)\" height=\"\(preview.height)\" src=\"data:image/jpeg;base64,\(Data(jpeg).base64EncodedString())\">"
        }
        if let photo = frame.stamp.photo, photo.width > 0, photo.height > 0 {
            for face in frame.faces { html += box(face, width: Double(photo.width), height: Double(photo.height)) }
        }
        html += "</div><figcaption>\(name)"
        if !frame.problems.isEmpty { html += " <small class=\"uncertain\">damaged</small>" }
        html += "</figcaption></figure>"
        return html
    }

    /// A face's box, placed in percent of the photo so it fits the thumbnail at any size.
    private static func box(_ face: AnalysedFace, width: Double, height: Double) -> String {
        let b = face.detection.box
        func percent(_ value: Double, of whole: Double) -> String {
            FixedPoint.format(min(max(value / whole * 100, 0), 100), decimals: 2) + "%"
        }
        let label = face.scores.label
        let confidence = FixedPoint.format(face.scores.confidence, decimals: 2)
        let style =
            "left:\(percent(b.x, of: width));top:\(percent(b.y, of: height));"
            + "width:\(percent(b.width, of: width));height:\(percent(b.height, of: height))"
        if face.quality.isUncertain {
            return
                "<b class=\"box uncertain\" style=\"\(style)\" title=\"uncertain: \(MarkupText.escape(face.quality.reasonText))\"><span>\(personMarker)\(label.rawValue)? \(confidence)</span></b>"
        }
        let colour = ReportCharts.colour(label)
        return
            "<b class=\"box\" style=\"\(style);border-color:\(colour)\"><span style=\"background:\(colour)\">\(personMarker)\(label.rawValue) \(confidence)</span></b>"
    }

    /// The card with its faces' persons filled in (one per face, in order; nil for a face with none): each label
    /// starts `P3 `, and the card lists its persons for the person filter.
    static func withPersons(_ card: String, _ persons: [Int?]) -> String {
        let pieces = card.components(separatedBy: personMarker)
        var html = pieces[0]
        for (k, piece) in pieces.dropFirst().enumerated() {
            if k < persons.count, let person = persons[k] { html += "P\(person) " }
            html += piece
        }
        let list = Set(persons.compactMap { $0 }).sorted().map(String.init).joined(separator: " ")
        return html.replacingOccurrences(of: personsMarker, with: list)
    }

    /// A person as the person filter offers them: their ID, the photos they are in, and the pages those are on.
    struct PersonEntry {
        let id: Int
        var photos = 0
        var pages: [Int] = []
    }

    /// What to show and in which order; with persons, whose photos to show (`persons` in the order offered).
    static func controls(persons: [PersonEntry], pages: Int) -> String {
        var html = "<p class=\"controls\"><label>Show <select id=\"filter\"><option value=\"\">every photo</option>"
        for emotion in Emotion.allCases {
            html += "<option value=\"\(emotion.rawValue)\">photos with a \(emotion.rawValue) face</option>"
        }
        html += "<option value=\"uncertain\">photos with an uncertain reading</option></select></label> "
        if !persons.isEmpty {
            html += "<label>of <select id=\"person\"><option value=\"\">anyone</option>"
            for person in persons {
                let on =
                    pages > 1
                    ? "; page\(person.pages.count > 1 ? "s" : "") "
                        + person.pages.map(String.init).joined(separator: ", ") : ""
                html +=
                    "<option value=\"\(person.id)\">person \(person.id) (\(person.photos) photo\(person.photos == 1 ? "" : "s")\(on))</option>"
            }
            html += "</select></label> "
        }
        html += "<label>Sort by <select id=\"sort\"><option value=\"file\">file name</option>"
        html += "<option value=\"faces\">most faces</option>"
        for emotion in Emotion.allCases {
            html += "<option value=\"\(emotion.rawValue)\">most \(emotion.rawValue)</option>"
        }
        html += "</select></label> <span id=\"shown\"></span></p>\n"
        return html
    }

    /// Sorts and filters the sheet in place; ties keep file order; a click enlarges a photo. The choice is kept in the address
    /// (`report.html#show=happy&sort=happy`: the best smiles; `#person=3`: every photo of person 3), so a view can be
    /// bookmarked or sent, and the links to the other pages carry it. No network, no library.
    static let script = """
        <script>
        (function () {
          var sheet = document.getElementById("sheet"), filter = document.getElementById("filter"),
              sort = document.getElementById("sort"), shown = document.getElementById("shown"),
              person = document.getElementById("person");
          var cards = Array.prototype.slice.call(sheet.children);
          function byFile(a, b) { return a.dataset.file < b.dataset.file ? -1 : a.dataset.file > b.dataset.file ? 1 : 0; }
          function apply() {
            var key = sort.value, want = filter.value, who = person ? person.value : "", count = 0;
            var ordered = cards.slice().sort(function (a, b) {
              if (key === "file") return byFile(a, b);
              return (parseFloat(b.dataset[key]) - parseFloat(a.dataset[key])) || byFile(a, b);
            });
            ordered.forEach(function (card) {
              var visible = (!want || (" " + card.dataset.labels + " ").indexOf(" " + want + " ") >= 0)
                && (!who || (" " + card.dataset.persons + " ").indexOf(" " + who + " ") >= 0);
              card.hidden = !visible;
              if (visible) count++;
              sheet.appendChild(card);
            });
            shown.textContent = count + " of " + cards.length + " shown";
          }
          function choose(select, value) {
            for (var i = 0; i < select.options.length; i++) if (select.options[i].value === value) select.value = value;
          }
          location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
            var part = pair.split("="), value = decodeURIComponent(part[1] || "");
            if (part[0] === "show") choose(filter, value);
            if (part[0] === "sort") choose(sort, value);
            if (part[0] === "person" && person) choose(person, value);
          });
          // The other pages open on the same view.
          var pageLinks = Array.prototype.slice.call(document.querySelectorAll(".pages a"));
          function carry() {
            pageLinks.forEach(function (a) { a.href = a.getAttribute("href").split("#")[0] + location.hash; });
          }
          function changed() {
            history.replaceState(null, "", "#show=" + encodeURIComponent(filter.value) + "&sort=" + encodeURIComponent(sort.value)
              + (person && person.value ? "&person=" + encodeURIComponent(person.value) : ""));
            carry();
            apply();
          }
          // A click shows a photo across the page, where small faces' labels no longer overlap.
          cards.forEach(function (card) { card.addEventListener("click", function () { card.classList.toggle("big"); }); });
          filter.addEventListener("change", changed);
          sort.addEventListener("change", changed);
          if (person) person.addEventListener("change", changed);
          carry();
          apply();
        })();
        </script>

        """
}
