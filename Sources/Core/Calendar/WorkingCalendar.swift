import Crypto
import Foundation

/// What kind of day a date is (the `kind` column of `fabu calendar export`).
public enum DayKind: String, Codable, Sendable, CaseIterable {
    case workday = "工作日"
    case restDay = "休息日"
    case holiday = "法定节假日"
    case makeUpWorkday = "调休上班"

    public var isWorkday: Bool { self == .workday || self == .makeUpWorkday }
}

/// A jurisdiction's own change to the national calendar (e.g. a local festival day off),
/// with the document that ordered it.
public struct LocalAdjustment: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// 本地放假: a day off that the national notice does not give.
        case dayOff
        /// 本地上班: a working day on a day the national calendar has off.
        case workday

        public var label: String { self == .dayOff ? "本地放假" : "本地上班" }
    }

    public var date: CivilDate
    public var kind: Kind
    public var name: String
    public var source: String

    public init(date: CivilDate, kind: Kind, name: String, source: String) {
        self.date = date
        self.kind = kind
        self.name = name
        self.source = source
    }
}

/// One day as the calendar answers it.
public struct CalendarDay: Sendable, Equatable {
    public var date: CivilDate
    public var kind: DayKind
    /// The festival or local occasion, for holidays and make-up days.
    public var name: String?
    /// The document behind a non-ordinary day (文号, or the local adjustment's source).
    public var source: String?
    public var isLocal: Bool
    /// `false` when no holiday notice is loaded for the date: answered by the weekday rule.
    public var certain: Bool

    public var isWorkday: Bool { kind.isWorkday }
}

/// A run of consecutive special days passed while counting (a festival break, a make-up day).
public struct CalendarRun: Sendable, Equatable, Codable {
    public var kind: DayKind
    public var name: String
    public var from: CivilDate
    public var to: CivilDate
    public var source: String
    public var isLocal: Bool

    public var days: Int { to.dayNumber - from.dayNumber + 1 }

    /// 国庆节 2026-10-01 至 2026-10-07 放假 7 天（国办发明电〔2025〕7号）
    public var text: String {
        let span = from == to ? "\(from)（\(from.weekdayName)）" : "\(from) 至 \(to)"
        let local = isLocal ? "本地" : ""
        switch kind {
        case .holiday: return "\(name) \(span) \(local)放假\(days > 1 ? " \(days) 天" : "")（\(source)）"
        case .makeUpWorkday: return "\(span) \(local)调休上班（\(name)，\(source)）"
        case .restDay: return "\(span) \(local)休息（\(name)，\(source)）"
        case .workday: return "\(span) \(local)上班（\(name)，\(source)）"
        }
    }
}

/// The result of counting working days, with how it was reached.
public struct WorkingDayCount: Sendable, Equatable {
    public var from: CivilDate
    public var days: Int
    public var date: CivilDate
    /// `false` when the count crosses a date whose year has no loaded notice.
    public var certain: Bool
    /// Holidays, make-up days and local adjustments between `from` and `date`.
    public var passed: [CalendarRun]
    /// Years crossed without a loaded notice (the reason for `certain == false`).
    public var uncertainYears: [Int]

    /// 2026-09-28（星期一）起 5 个工作日（不含当天）：2026-10-10（星期六）
    public var summary: String {
        let direction = days >= 0 ? "起" : "前推"
        return "\(from)（\(from.weekdayName)）\(direction) \(abs(days)) 个工作日（不含当天）：\(date)（\(date.weekdayName)）"
    }

    /// The explanation lines shown under a deadline.
    public var explanation: [String] {
        var lines = passed.map(\.text)
        if passed.isEmpty { lines.append("其间没有节假日或调休，按星期一至星期五计算。") }
        if !certain { lines.append(WorkingCalendar.uncertainNote(uncertainYears)) }
        return lines
    }
}

/// The Chinese working-day calendar: national notices, local adjustments, and the weekday rule
/// for years without a notice (answered but marked uncertain — SPEC §12).
///
/// Built once per calendar version into arrays over the loaded years, so `addWorkingDays` is a
/// binary-search-free lookup: a prefix count of working days and the list of working days.
public struct WorkingCalendar: Sendable {
    /// Years with a loaded national notice.
    public let loadedYears: Set<Int>
    /// A short fingerprint of the data the index was built from.
    public let version: String
    public let notices: [HolidayNotice]

    // The index covers [start, end] (day numbers).
    private let start: Int
    private let end: Int
    private let special: [Int: CalendarDay]
    /// `workdayList[k]` is the day number of the k-th working day inside the index.
    private let workdayList: [Int32]
    /// `workdaysBefore[i]` = working days in [start, start + i).
    private let workdaysBefore: [Int32]
    /// `uncertainBefore[i]` = uncertain days in [start, start + i).
    private let uncertainBefore: [Int32]

    /// Years a count may start or end in: far enough for any deadline, well inside `CivilDate`.
    public static let supportedYears = 1950...2200
    /// The largest count asked in one query (about four years of working days).
    public static let maxCount = 1000

    /// Reads a date typed by a user (API query, form, command line): refuses an empty value, a
    /// malformed one, or a year outside `supportedYears`, naming the field.
    public static func date(_ text: String?, field: String, label: String) throws(DomainError) -> CivilDate {
        guard let text, !text.isEmpty else { throw DomainError.field(field, label: label, "不能为空，格式为 YYYY-MM-DD") }
        guard let d = CivilDate(text) else { throw DomainError.field(field, label: label, "“\(text)”不是有效日期，格式应为 YYYY-MM-DD") }
        guard supportedYears.contains(d.year) else {
            throw DomainError.field(field, label: label, "年份应在 \(supportedYears.lowerBound)–\(supportedYears.upperBound) 之间")
        }
        return d
    }

    /// Reads a working-day count (may be negative), within ±`maxCount`.
    public static func count(_ text: String?, field: String, label: String) throws(DomainError) -> Int {
        guard let text, let n = Int(text), (-maxCount...maxCount).contains(n) else {
            throw DomainError.field(field, label: label, "应为 -\(maxCount) 到 \(maxCount) 之间的整数（负数表示往前推算）")
        }
        return n
    }

    /// The last days of December that the next year's notice may still change (the 2008 and
    /// 2019 notices moved working days into the previous year's last week).
    public static let yearEndWindow = 25

    public init(notices: [HolidayNotice], adjustments: [LocalAdjustment] = []) {
        // Later years win when two files claim the same date (a correction reissued next year).
        let sorted = notices.sorted { $0.year < $1.year }
        self.notices = sorted
        let years = Set(sorted.map(\.year))
        loadedYears = years
        var special: [Int: CalendarDay] = [:]
        for n in sorted {
            for h in n.holidays {
                for d in h.from.dayNumber...h.to.dayNumber {
                    special[d] = CalendarDay(date: CivilDate(dayNumber: d), kind: .holiday, name: h.name,
                                             source: n.citation(h.notice), isLocal: false, certain: true)
                }
            }
            for w in n.workdays {
                special[w.date.dayNumber] = CalendarDay(date: w.date, kind: .makeUpWorkday, name: w.name,
                                                        source: n.citation(w.notice), isLocal: false, certain: true)
            }
        }
        for a in adjustments {
            let kind: DayKind = a.kind == .dayOff ? .holiday : .makeUpWorkday
            special[a.date.dayNumber] = CalendarDay(date: a.date, kind: kind, name: a.name, source: a.source, isLocal: true, certain: true)
        }
        let allYears = years.union(adjustments.map(\.date.year))
        let first = (allYears.min() ?? 2004) - 1, last = (allYears.max() ?? 2004) + 1
        start = CivilDate(year: first, month: 1, day: 1)!.dayNumber
        end = CivilDate(year: last, month: 12, day: 31)!.dayNumber
        var list: [Int32] = [], before: [Int32] = [0], unsure: [Int32] = [0]
        list.reserveCapacity((end - start) * 5 / 7 + 16)
        before.reserveCapacity(end - start + 2)
        unsure.reserveCapacity(end - start + 2)
        for d in start...end {
            let date = CivilDate(dayNumber: d)
            let work = special[d]?.isWorkday ?? !date.isWeekend
            if work { list.append(Int32(d)) }
            before.append(before.last! + (work ? 1 : 0))
            unsure.append(unsure.last! + (Self.isCertain(date, years: years) ? 0 : 1))
        }
        self.special = special
        workdayList = list
        workdaysBefore = before
        uncertainBefore = unsure
        version = Self.fingerprint(sorted, adjustments)
    }

    /// The shipped notices (2004 onwards) plus any extra ones and local adjustments.
    public static func shipped(extra: [HolidayNotice] = [], adjustments: [LocalAdjustment] = []) throws(DomainError) -> WorkingCalendar {
        let extraYears = Set(extra.map(\.year))
        let base = try ShippedNotices.load().filter { !extraYears.contains($0.year) }
        return WorkingCalendar(notices: base + extra, adjustments: adjustments)
    }

    // MARK: single days

    /// A date is certain when its year's notice is loaded and, in the last days of December,
    /// the next year's too (its 元旦 arrangement may still move those days).
    static func isCertain(_ date: CivilDate, years: Set<Int>) -> Bool {
        guard years.contains(date.year) else { return false }
        if date.month == 12, date.day >= yearEndWindow { return years.contains(date.year + 1) }
        return true
    }

    public func isCertain(_ date: CivilDate) -> Bool { Self.isCertain(date, years: loadedYears) }

    public func day(_ date: CivilDate) -> CalendarDay {
        let certain = isCertain(date)
        if var s = special[date.dayNumber] {
            s.certain = certain
            return s
        }
        return CalendarDay(date: date, kind: date.isWeekend ? .restDay : .workday, name: nil, source: nil, isLocal: false, certain: certain)
    }

    public func isWorkday(_ date: CivilDate) -> Bool {
        special[date.dayNumber]?.isWorkday ?? !date.isWeekend
    }

    /// Every day from `from` through `to`.
    public func days(from: CivilDate, to: CivilDate) -> [CalendarDay] {
        guard from <= to else { return [] }
        return (from.dayNumber...to.dayNumber).map { day(CivilDate(dayNumber: $0)) }
    }

    // MARK: counting

    /// The working day `n` working days after `date` (before it when `n` is negative). The
    /// start day itself is not counted: Friday + 1 is the next working day (Monday, unless it
    /// is a holiday); `n == 0` answers `date`.
    public func addWorkingDays(_ date: CivilDate, _ n: Int) -> CivilDate {
        CivilDate(dayNumber: addWorkingDays(dayNumber: date.dayNumber, n))
    }

    /// `addWorkingDays` on day numbers: O(1) inside the index, closed-form weekday arithmetic
    /// outside it.
    public func addWorkingDays(dayNumber d: Int, _ n: Int) -> Int {
        if n == 0 { return d }
        // workdaysThrough(start - 1) == 0, so workdaysThrough(x) is the list position just
        // after the last working day on or before x (negative before the index).
        if n > 0 {
            if d >= end { return Self.addWeekdays(d, n) }
            let rank = Int(workdaysThrough(d)) + n - 1
            if rank < 0 { return Self.addWeekdays(d, n) }  // still before the index
            if rank < workdayList.count { return Int(workdayList[rank]) }
            return Self.addWeekdays(end, rank - workdayList.count + 1)  // past the index
        } else {
            if d <= start { return Self.addWeekdays(d, n) }
            let rank = Int(workdaysThrough(d - 1)) + n
            if rank >= workdayList.count { return Self.addWeekdays(d, n) }  // still after the index
            if rank >= 0 { return Int(workdayList[rank]) }
            return Self.addWeekdays(start, rank)  // before the index
        }
    }

    /// How many working days `b` lies from `a`, counted the way deadlines are: forwards, the
    /// working days after `a` up to and including `b`; backwards (negative), those from `b`
    /// up to but excluding `a`. So `addWorkingDays(a, workingDaysBetween(a, b)) == b` whenever
    /// `b` is a working day.
    public func workingDaysBetween(_ a: CivilDate, _ b: CivilDate) -> Int {
        if b >= a { return Int(workdaysThrough(b.dayNumber) - workdaysThrough(a.dayNumber)) }
        return -Int(workdaysThrough(a.dayNumber - 1) - workdaysThrough(b.dayNumber - 1))
    }

    /// Whether every day between the two dates (inclusive) is certain.
    public func isCertain(from a: CivilDate, to b: CivilDate) -> Bool {
        let lo = min(a.dayNumber, b.dayNumber), hi = max(a.dayNumber, b.dayNumber)
        if lo < start || hi > end { return false }
        return uncertainBefore[hi - start + 1] == uncertainBefore[lo - start]
    }

    /// `addWorkingDays` with the explanation users need to trust a deadline.
    public func explainAddingWorkingDays(_ date: CivilDate, _ n: Int) -> WorkingDayCount {
        let result = addWorkingDays(date, n)
        let (lo, hi) = n >= 0 ? (date.adding(days: 1), result) : (result, date.adding(days: -1))
        return WorkingDayCount(from: date, days: n, date: result, certain: n == 0 || isCertain(from: lo, to: hi),
                               passed: runs(from: lo, to: hi), uncertainYears: uncertainYears(from: lo, to: hi))
    }

    /// The special days between two dates, grouped into runs (a whole festival break as one).
    public func runs(from a: CivilDate, to b: CivilDate) -> [CalendarRun] {
        guard a <= b else { return [] }
        var out: [CalendarRun] = []
        for d in a.dayNumber...b.dayNumber {
            guard let s = special[d], let name = s.name, let source = s.source else { continue }
            if var last = out.last, last.kind == s.kind, last.name == name, last.isLocal == s.isLocal, last.to.dayNumber == d - 1 {
                last.to = s.date
                out[out.count - 1] = last
            } else {
                out.append(CalendarRun(kind: s.kind, name: name, from: s.date, to: s.date, source: source, isLocal: s.isLocal))
            }
        }
        return out
    }

    public func uncertainYears(from a: CivilDate, to b: CivilDate) -> [Int] {
        guard a <= b else { return [] }
        var years: Set<Int> = []
        for y in a.year...b.year {
            if !loadedYears.contains(y) { years.insert(y) }
            // The last days of December wait for next year's notice.
            let tail = CivilDate(year: y, month: 12, day: Self.yearEndWindow)!
            if !loadedYears.contains(y + 1), tail <= b, loadedYears.contains(y) { years.insert(y + 1) }
        }
        return years.sorted()
    }

    public static func uncertainNote(_ years: [Int]) -> String {
        let list = years.map { "\($0) 年" }.joined(separator: "、")
        return "待定：\(list)放假安排尚未载入，相关日期暂按星期一至星期五推算，载入通知后可能改变。"
    }

    // MARK: index internals

    /// Working days from the index start through `d` (counts outside the index by the weekday rule).
    private func workdaysThrough(_ d: Int) -> Int32 {
        if d < start { return -Int32(Self.weekdays(from: d + 1, to: start - 1)) }
        if d > end { return workdaysBefore.last! + Int32(Self.weekdays(from: end + 1, to: d)) }
        return workdaysBefore[d - start + 1]
    }

    /// Monday–Friday days in [a, b] (0 when b < a), in closed form.
    static func weekdays(from a: Int, to b: Int) -> Int {
        guard b >= a else { return 0 }
        return weekdaysBefore(b + 1) - weekdaysBefore(a)
    }

    /// Monday–Friday days in [0, x) counted from 1970-01-01 (a Thursday); negative for x < 0.
    static func weekdaysBefore(_ x: Int) -> Int {
        let weeks = x >= 0 ? x / 7 : -((-x + 6) / 7)
        let rest = x - weeks * 7
        // From a Thursday: Thu, Fri count; Sat, Sun don't; Mon, Tue, Wed count.
        let partial = [0, 1, 2, 2, 2, 3, 4][rest]
        return weeks * 5 + partial
    }

    /// `n` Monday–Friday days after (n > 0) or before (n < 0) day `d`.
    static func addWeekdays(_ d: Int, _ n: Int) -> Int {
        if n == 0 { return d }
        let step = n > 0 ? 1 : -1
        let whole = (abs(n) - 1) / 5
        var day = d + step * whole * 7
        var left = abs(n) - whole * 5
        while left > 0 {
            day += step
            if !CivilDate.isWeekend(dayNumber: day) { left -= 1 }
        }
        return day
    }

    static func fingerprint(_ notices: [HolidayNotice], _ adjustments: [LocalAdjustment]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var hasher = SHA256()
        for n in notices { hasher.update(data: (try? encoder.encode(n)) ?? Data()) }
        for a in adjustments { hasher.update(data: (try? encoder.encode(a)) ?? Data()) }
        return hasher.finalize().prefix(6).map { String(format: "%02x", $0) }.joined()
    }
}

extension CivilDate {
    static func isWeekend(dayNumber d: Int) -> Bool {
        let r = ((d + 3) % 7 + 7) % 7
        return r >= 5
    }
}

extension WorkingCalendar {
    /// The header of `fabu calendar export`.
    public static let csvHeader = "date,workday,kind,name,certain"

    /// One CSV line per day: `2026-10-01,0,法定节假日,国庆节,1`. Local days carry "（本地）".
    public func csvLine(_ day: CalendarDay) -> String {
        let name = day.name.map { day.isLocal ? "\($0)（本地）" : $0 } ?? ""
        return [day.date.description, day.isWorkday ? "1" : "0", day.kind.rawValue, CSV.escape(name), day.certain ? "1" : "0"]
            .joined(separator: ",")
    }
}
