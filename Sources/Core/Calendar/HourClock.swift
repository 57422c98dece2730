import Foundation

/// Hour-based clocks (emergencies: 5 h, 24 h — SPEC §5) run in Asia/Shanghai wall time.
///
/// China has kept UTC+8 without daylight saving since 1991, so "occurrence + 5 hours" is the
/// same instant in any zone; what matters is that the due time is *shown* and cut into days in
/// Shanghai, whatever zone the server runs in.
public enum HourClock {
    /// The instant `hours` after `start`.
    public static func due(after start: Date, hours: Int) -> Date {
        start.addingTimeInterval(TimeInterval(hours) * 3600)
    }

    /// `2026-10-01 03:00` in Shanghai wall time.
    public static func wallTime(_ instant: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = .shanghai
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    /// Parses `yyyy-MM-dd HH:mm` (or with `T`) as Shanghai wall time.
    public static func parseWallTime(_ text: String) -> Date? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2, let day = CivilDate(String(parts[0])) else { return nil }
        let hm = parts[1].split(separator: ":")
        guard hm.count >= 2, let h = Int(hm[0]), let m = Int(hm[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = .shanghai
        return cal.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: h, minute: m))
    }
}
