import Foundation

/// One year's holiday arrangement (国务院办公厅关于某年部分节假日安排的通知), as a data file.
///
/// SPEC §12: every "N 个工作日" of the regulations is counted on the calendar these notices make:
/// weekdays inside a break are days off, and the weekends they name are make-up working days
/// (调休上班). A notice may reach into the previous December (the 2008 notice made 2007-12-29 a
/// working day), so entries are dated, not tied to the file's year.
public struct HolidayNotice: Codable, Sendable, Equatable {
    /// A State Council document: its number (文号), title and date of issue (成文日期).
    public struct Source: Codable, Sendable, Equatable {
        public var number: String
        public var title: String
        public var date: String

        public init(number: String, title: String, date: String) {
            self.number = number
            self.title = title
            self.date = date
        }
    }

    /// A festival break (放假), first to last day off, weekends inside it included.
    public struct Break: Codable, Sendable, Equatable {
        public var name: String
        public var from: CivilDate
        public var to: CivilDate
        /// The supplementary notice that set this break, when not the year's main one.
        public var notice: String?

        public init(name: String, from: CivilDate, to: CivilDate, notice: String? = nil) {
            self.name = name
            self.from = from
            self.to = to
            self.notice = notice
        }
    }

    /// A Saturday or Sunday made a working day (调休上班) for the named festival.
    public struct MakeUpDay: Codable, Sendable, Equatable {
        public var date: CivilDate
        public var name: String
        public var notice: String?

        public init(date: CivilDate, name: String, notice: String? = nil) {
            self.date = date
            self.name = name
            self.notice = notice
        }
    }

    public var year: Int
    /// The main notice first, then supplementary ones (e.g. 2020's Spring Festival extension).
    public var notices: [Source]
    public var holidays: [Break]
    public var workdays: [MakeUpDay]

    public init(year: Int, notices: [Source], holidays: [Break], workdays: [MakeUpDay]) {
        self.year = year
        self.notices = notices
        self.holidays = holidays
        self.workdays = workdays
    }

    /// The main notice's number, e.g. 国办发明电〔2025〕7号; its title when the number is not
    /// known (the copies of the 2004, 2005 and 2008 notices we hold do not print one).
    public var number: String {
        guard let first = notices.first else { return "" }
        return first.number.isEmpty ? "《\(first.title)》" : first.number
    }

    /// The document that set a given entry: its own supplementary notice, else the main one.
    public func citation(_ supplementary: String?) -> String { supplementary ?? number }

    /// Decodes and validates a notice file; every refusal names the file and the entry.
    public static func decode(_ data: Data, file: String) throws(DomainError) -> HolidayNotice {
        let notice = try StrictJSON.decode(HolidayNotice.self, from: StrictJSON.parse(data, file: file), file: file)
        try notice.validate(file: file)
        return notice
    }

    /// The rules a notice always follows; a file breaking one is a typo, not a new policy.
    public func validate(file: String) throws(DomainError) {
        func fail(_ detail: String) -> DomainError { StrictJSON.invalid(file, detail) }
        guard (2000...2100).contains(year) else { throw fail("year 应为 2000–2100 之间的年份（现为 \(year)）") }
        guard !notices.isEmpty else { throw fail("notices 至少要有一份通知（文号、标题、日期）") }
        for (i, n) in notices.enumerated() {
            if n.title.trimmingCharacters(in: .whitespaces).isEmpty { throw fail("notices[\(i)].title 不能为空") }
            if !n.date.isEmpty, CivilDate(n.date) == nil { throw fail("notices[\(i)].date 应为 YYYY-MM-DD 或空字符串") }
        }
        let numbers = Set(notices.map(\.number))
        // A notice sets its own year and, at most, the end of the previous December.
        let first = CivilDate(year: year - 1, month: 12, day: 1)!, last = CivilDate(year: year, month: 12, day: 31)!
        var taken: [CivilDate: String] = [:]
        for (i, h) in holidays.enumerated() {
            let at = "holidays[\(i)]（\(h.name)）"
            if h.name.trimmingCharacters(in: .whitespaces).isEmpty { throw fail("holidays[\(i)].name 不能为空") }
            guard h.from <= h.to else { throw fail("\(at) 的 from（\(h.from)）晚于 to（\(h.to)）") }
            guard h.from >= first, h.to <= last else { throw fail("\(at) 超出 \(year) 年（只允许 \(first) 至 \(last)）") }
            guard h.to.dayNumber - h.from.dayNumber < 16 else { throw fail("\(at) 长达 \(h.to.dayNumber - h.from.dayNumber + 1) 天，超过 16 天，请检查日期") }
            if let n = h.notice, !numbers.contains(n) { throw fail("\(at) 引用的通知 \(n) 不在 notices 中") }
            for d in h.from.dayNumber...h.to.dayNumber {
                let date = CivilDate(dayNumber: d)
                if let other = taken[date] { throw fail("\(date) 同时属于 \(other) 和 \(at)") }
                taken[date] = at
            }
        }
        for (i, w) in workdays.enumerated() {
            let at = "workdays[\(i)]（\(w.date)）"
            guard w.date >= first, w.date <= last else { throw fail("\(at) 超出 \(year) 年（只允许 \(first) 至 \(last)）") }
            guard w.date.isWeekend else { throw fail("\(at) 是\(w.date.weekdayName)；调休上班只能是星期六或星期日") }
            if let other = taken[w.date] { throw fail("\(at) 同时属于 \(other)") }
            if w.name.trimmingCharacters(in: .whitespaces).isEmpty { throw fail("workdays[\(i)].name 不能为空") }
            if let n = w.notice, !numbers.contains(n) { throw fail("\(at) 引用的通知 \(n) 不在 notices 中") }
            taken[w.date] = at
        }
    }
}

/// The notices shipped with Fabu (`Resources/Calendar/YYYY.json`, 2004 onwards).
public enum ShippedNotices {
    /// Every shipped notice, decoded once. A broken shipped file is a build defect, so it is
    /// reported by the tests and at start-up, not hidden.
    public static func load() throws(DomainError) -> [HolidayNotice] {
        guard let dir = Bundle.module.url(forResource: "Calendar", withExtension: nil) else {
            throw DomainError(.notFound, code: "calendar_missing", message: "找不到内置的放假安排数据（Resources/Calendar）。")
        }
        let files = ((try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var out: [HolidayNotice] = []
        for url in files {
            guard let data = try? Data(contentsOf: url) else { throw StrictJSON.invalid(url.lastPathComponent, "无法读取") }
            out.append(try HolidayNotice.decode(data, file: url.lastPathComponent))
        }
        return out
    }
}
