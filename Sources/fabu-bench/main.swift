import Core
import Foundation

// `swift run -c release fabu-bench calendar`: how fast the working-day index answers, against
// a day-by-day walk measured in the same run (timings on a shared machine are noisy; the
// ratio is what to compare).

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// A small deterministic generator, so every run asks the same questions.
struct LCG {
    var state: UInt64
    mutating func next(_ n: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(n))
    }
}

func benchCalendar() throws {
    var calendar: WorkingCalendar?
    let buildTime = seconds { calendar = try? WorkingCalendar.shipped() }
    guard let cal = calendar else { throw DomainError.notFound("内置放假安排") }
    let first = CivilDate(year: 2004, month: 1, day: 1)!.dayNumber
    let span = CivilDate(year: 2026, month: 12, day: 31)!.dayNumber - first
    let queries = 1_000_000
    var rng = LCG(state: 2026)
    let starts = (0..<queries).map { _ in first + rng.next(span) }
    let counts = (0..<queries).map { _ in rng.next(61) - 30 }

    var checksum = 0
    let indexed = seconds {
        for i in 0..<queries { checksum &+= cal.addWorkingDays(dayNumber: starts[i], counts[i]) }
    }
    // Baseline: the naive walk a clerk's spreadsheet would do, one day at a time.
    let walkQueries = 100_000
    var walkChecksum = 0
    let walked = seconds {
        for i in 0..<walkQueries {
            var d = starts[i], left = abs(counts[i])
            let step = counts[i] >= 0 ? 1 : -1
            while left > 0 {
                d += step
                if cal.isWorkday(CivilDate(dayNumber: d)) { left -= 1 }
            }
            walkChecksum &+= d
        }
    }
    var sameAnswers = true
    for i in 0..<1000 {
        var d = starts[i], left = abs(counts[i])
        while left > 0 { d += counts[i] >= 0 ? 1 : -1; if cal.isWorkday(CivilDate(dayNumber: d)) { left -= 1 } }
        if d != cal.addWorkingDays(dayNumber: starts[i], counts[i]) { sameAnswers = false }
    }
    let walkPerQuery = walked / Double(walkQueries), indexPerQuery = indexed / Double(queries)
    print("""
    fabu-bench calendar (\(cal.loadedYears.count) years loaded, calendar version \(cal.version))
      index build:                      \(String(format: "%.2f", buildTime * 1000)) ms (decoding 23 notice files included)
      1,000,000 addWorkingDays (index): \(String(format: "%.3f", indexed)) s  (\(String(format: "%.0f", indexPerQuery * 1e9)) ns/query)
      100,000 day-by-day walks:         \(String(format: "%.3f", walked)) s  (\(String(format: "%.0f", walkPerQuery * 1e9)) ns/query)
      ratio walk / index per query:     \(String(format: "%.0f", walkPerQuery / indexPerQuery))×
      answers agree on 1,000 samples:   \(sameAnswers ? "yes" : "NO")
      checksums: \(checksum) \(walkChecksum)
    """)
    if !sameAnswers { exit(1) }
}

let args = CommandLine.arguments.dropFirst()
switch args.first {
case "calendar":
    try benchCalendar()
default:
    print("usage: fabu-bench calendar")
    exit(args.isEmpty ? 0 : 2)
}
