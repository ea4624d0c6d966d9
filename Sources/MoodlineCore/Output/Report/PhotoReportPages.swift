import Foundation

/// Writes a photo set's report from its fragments (see `PhotoReportWriter`): `report.html` with the first
/// `photosPerPage` photos that have faces, then `report-2.html`, `report-3.html` ... with the rest, each page linking
/// the others; the photos without a face and the files that failed are listed on the first page. The fragments are
/// read twice as a stream (once to count, once to write), so a set of any size is written in flat memory, a page of
/// cards at a time.
struct PhotoReportPages {
    /// Photos with faces per page: about 10 KB each, so a page stays near 2 MB.
    static let photosPerPage = 200

    let folder: String
    let title: String
    /// The report header's markup (the input's facts and problems), the same on every page.
    let header: String

    /// The file of page `n` (from 1).
    static func fileName(page n: Int) -> String { n == 1 ? "report.html" : "report-\(n).html" }

    /// The files of the pages after the first, for `pages` pages.
    static func extraFileNames(pages: Int) -> [String] { pages < 2 ? [] : (2...pages).map { fileName(page: $0) } }

    /// Whether `name` is a page after the first (`report-2.html`, ...).
    static func isExtraPage(_ name: String) -> Bool {
        guard name.hasPrefix("report-"), name.hasSuffix(".html") else { return false }
        let number = name.dropFirst("report-".count).dropLast(".html".count)
        return !number.isEmpty && number.allSatisfy(\.isASCII) && (Int(number) ?? 0) >= 2
    }

    /// Persons offered by the person filter, those in most photos first.
    static let maximumPersonsOffered = 1000

    /// Writes every page from `lines`, which must give the same lines each time it is asked, and removes pages an
    /// earlier, larger run left. `person`: the person of a face's key (nil for a set without persons). Returns the
    /// number of pages.
    @discardableResult
    func write<Lines: Sequence>(person: ((Int) -> Int?)? = nil, _ lines: () -> Lines) throws -> Int
    where Lines.Element == String {
        // Pass 1: counts, the bounded lists of the first page, and who is in which photos.
        var photos = 0, faces = 0, withoutFace = 0, failures = 0
        var named: [String] = [], failed: [String] = []
        var entries: [Int: PhotoCard.PersonEntry] = [:]
        for line in lines() {
            switch line.first {
            case "P":
                photos += 1
                faces += Int(line.dropFirst().prefix { $0 != " " }) ?? 0
                let page = (photos - 1) / Self.photosPerPage + 1
                for id in Set(Self.card(line, person: person).persons.compactMap { $0 }) {
                    var entry = entries[id] ?? PhotoCard.PersonEntry(id: id)
                    entry.photos += 1
                    if entry.pages.last != page { entry.pages.append(page) }
                    entries[id] = entry
                }
            case "N":
                withoutFace += 1
                if line.hasPrefix("N <"), named.count < PhotoReportWriter.maximumNamesWithoutFace {
                    named.append(String(line.dropFirst(2)))
                }
            case "X":
                failures += 1
                if line.hasPrefix("X <"), failed.count < ReportPage.maximumFailures {
                    failed.append(String(line.dropFirst(2)))
                }
            default: break
            }
        }
        let pages = max(1, (photos + Self.photosPerPage - 1) / Self.photosPerPage)
        let offered = entries.values.sorted { ($1.photos, $0.id) < ($0.photos, $1.id) }.prefix(
            Self.maximumPersonsOffered)
        var summary =
            ReportPage.legend()
            + "<h2>Photos</h2><p>\(faces) face(s) in \(photos) photo(s); \(withoutFace) photo(s) without a face. "
            + "Boxes are coloured by the reading; dashed grey boxes are uncertain readings (hover for why). Click a"
            + " photo to see it larger.</p>"
        if photos == 0 { summary += "<p class=\"warning\" id=\"no-faces\">No face was found in these photos.</p>" }
        var lists = ""
        if withoutFace > 0 {
            lists +=
                "<h2>Photos without a face (\(withoutFace))</h2>"
                + (named.count < withoutFace ? "<p>The first \(named.count) by name.</p>" : "")
                + "<ul class=\"no-face\">" + named.joined() + "</ul>\n"
        }
        if failures > 0 {
            lists += "<h2>Files that failed (\(failures))</h2><ul class=\"failures\">" + failed.joined() + "</ul>\n"
        }
        // Pass 2: the cards, a page at a time.
        var page = 1
        var cards: [String] = []
        func flush() throws {
            var body = header + summary + navigation(page: page, of: pages)
            if !cards.isEmpty {
                body +=
                    PhotoCard.controls(persons: Array(offered), pages: pages) + "<div class=\"sheet\" id=\"sheet\">"
                    + cards.joined() + "</div>\n"
                body += PhotoCard.script
            }
            if page == 1 { body += lists }
            if pages > 1 { body += navigation(page: page, of: pages) }
            try WholeFile.write(
                text: ReportPage.page(title: title + (page > 1 ? " (page \(page))" : ""), body: body),
                to: (folder as NSString).appendingPathComponent(Self.fileName(page: page)))
            cards = []
            page += 1
        }
        for line in lines() where line.first == "P" {
            let card = Self.card(line, person: person)
            cards.append(PhotoCard.withPersons(String(card.html), card.persons))
            if cards.count == Self.photosPerPage && page < pages { try flush() }
        }
        while page <= pages { try flush() }
        Self.removePages(after: pages, in: folder)
        return pages
    }

    /// A `P` fragment's card and its faces' persons (all nil without `person`).
    private static func card(_ line: String, person: ((Int) -> Int?)?) -> (html: Substring, persons: [Int?]) {
        let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3 else { return ("", []) }
        let persons = fields[1].split(separator: ",").map { key in Int(key).flatMap { person?($0) } }
        return (fields[2], persons)
    }

    /// "Page 2 of 5: 1 2 3 4 5", each number a link but this page's; nothing for a single page.
    private func navigation(page: Int, of pages: Int) -> String {
        guard pages > 1 else { return "" }
        let links = (1...pages).map { n in
            n == page ? "<b>\(n)</b>" : "<a href=\"\(Self.fileName(page: n))\">\(n)</a>"
        }
        return "<p class=\"pages\">Page \(page) of \(pages): " + links.joined(separator: " ")
            + " (sorting and filtering work within a page)</p>\n"
    }

    /// Removes `report-N.html` for N after `pages` (left by an earlier run of a larger set).
    static func removePages(after pages: Int, in folder: String) {
        var n = max(2, pages + 1)
        while unlink((folder as NSString).appendingPathComponent(fileName(page: n))) == 0 { n += 1 }
    }
}
