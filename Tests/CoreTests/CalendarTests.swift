@testable import Core
import XCTest

final class CalendarTests: XCTestCase {
    func d(_ s: String) -> CivilDate { CivilDate(s)! }

    /// The shipped calendar, built once for the whole class (a broken data file fails each test).
    static let shipped = Result { () throws(DomainError) -> WorkingCalendar in try WorkingCalendar.shipped() }

    // MARK: shipped data

    func testEveryYearFrom2004Through2026IsLoadedWithItsNotice() throws {
        let cal = try Self.shipped.get()
        XCTAssertEqual(cal.loadedYears, Set(2004...2026))
        let byYear = Dictionary(uniqueKeysWithValues: cal.notices.map { ($0.year, $0) })
        XCTAssertEqual(byYear[2026]?.number, "国办发明电〔2025〕7号")
        XCTAssertEqual(byYear[2020]?.notices.map(\.number), ["国办发明电〔2019〕16号", "国办发明电〔2020〕1号"])
        // A year whose copies print no 文号 cites the notice by its title instead.
        XCTAssertEqual(byYear[2008]?.number, "《国务院办公厅关于2008年部分节假日安排的通知》")
    }

    func testWorkingDaysPerYearMatchTheNotices() throws {
        let cal = try Self.shipped.get()
        func count(_ year: Int) -> Int {
            cal.workingDaysBetween(CivilDate(year: year - 1, month: 12, day: 31)!, CivilDate(year: year, month: 12, day: 31)!)
        }
        XCTAssertEqual(count(2026), 248)
        XCTAssertEqual(count(2020), 249)
        XCTAssertEqual(count(2008), 251)
    }

    // MARK: hard cases

    func testNationalDay2026WithMakeUpWeekends() throws {
        let cal = try Self.shipped.get()
        // 国办发明电〔2025〕7号: 10-01..10-07 off; Sunday 09-20 and Saturday 10-10 are working days.
        XCTAssertEqual(cal.addWorkingDays(d("2026-09-28"), 5), d("2026-10-10"))
        XCTAssertTrue(cal.isWorkday(d("2026-09-20")))
        XCTAssertEqual(cal.day(d("2026-09-20")).kind, .makeUpWorkday)
        XCTAssertEqual(cal.day(d("2026-10-05")).kind, .holiday)
        XCTAssertEqual(cal.day(d("2026-10-05")).name, "国庆节")
        XCTAssertEqual(cal.day(d("2026-10-11")).kind, .restDay)
        let explained = cal.explainAddingWorkingDays(d("2026-09-28"), 5)
        XCTAssertTrue(explained.certain)
        XCTAssertEqual(explained.passed.map(\.text), [
            "国庆节 2026-10-01 至 2026-10-07 放假 7 天（国办发明电〔2025〕7号）",
            "2026-10-10（星期六） 调休上班（国庆节，国办发明电〔2025〕7号）",
        ])
    }

    func testSpringFestival2026() throws {
        let cal = try Self.shipped.get()
        // 02-15..02-23 off (nine days), Saturdays 02-14 and 02-28 worked.
        XCTAssertEqual(cal.addWorkingDays(d("2026-02-13"), 1), d("2026-02-14"))
        XCTAssertEqual(cal.addWorkingDays(d("2026-02-14"), 1), d("2026-02-24"))
        XCTAssertEqual(cal.workingDaysBetween(d("2026-02-13"), d("2026-02-28")), 6)  // 14, 24, 25, 26, 27, 28
    }

    func testExtendedSpringFestival2020() throws {
        let cal = try Self.shipped.get()
        // 国办发明电〔2020〕1号 extended the break to 02-02; Saturday 02-01 is no longer worked.
        XCTAssertEqual(cal.addWorkingDays(d("2020-01-23"), 1), d("2020-02-03"))
        XCTAssertFalse(cal.isWorkday(d("2020-02-01")))
        XCTAssertTrue(cal.isWorkday(d("2020-01-19")))
        XCTAssertEqual(cal.day(d("2020-01-31")).source, "国办发明电〔2020〕1号")
    }

    func testYearBoundaries() throws {
        let cal = try Self.shipped.get()
        // 2026 元旦 is 01-01..01-03 and Sunday 01-04 is worked: New Year's Eve + 1 is a Sunday.
        XCTAssertEqual(cal.addWorkingDays(d("2025-12-31"), 1), d("2026-01-04"))
        // The 2008 notice made 2007-12-29 (Saturday) a working day and 12-31 a day off.
        XCTAssertEqual(cal.addWorkingDays(d("2007-12-28"), 1), d("2007-12-29"))
        XCTAssertEqual(cal.addWorkingDays(d("2007-12-29"), 1), d("2008-01-02"))
        // Friday + 1 is Monday on an ordinary weekend.
        XCTAssertEqual(cal.addWorkingDays(d("2026-11-20"), 1), d("2026-11-23"))
    }

    func testNegativeCounts() throws {
        let cal = try Self.shipped.get()
        XCTAssertEqual(cal.addWorkingDays(d("2026-10-08"), -1), d("2026-09-30"))
        XCTAssertEqual(cal.addWorkingDays(d("2026-02-24"), -1), d("2026-02-14"))
        XCTAssertEqual(cal.addWorkingDays(d("2026-10-12"), -5), d("2026-09-29"))
        XCTAssertEqual(cal.workingDaysBetween(d("2026-10-10"), d("2026-09-28")), -5)
        XCTAssertEqual(cal.addWorkingDays(d("2026-10-12"), 0), d("2026-10-12"))
    }

    func testUncertainYearsAreAnsweredByTheWeekdayRuleAndMarked() throws {
        let cal = try Self.shipped.get()
        // No 2027 notice: counted Monday–Friday, never a crash, marked uncertain.
        let r = cal.explainAddingWorkingDays(d("2026-12-28"), 5)
        XCTAssertEqual(r.date, d("2027-01-04"))
        XCTAssertFalse(r.certain)
        XCTAssertEqual(r.uncertainYears, [2027])
        XCTAssertTrue(r.explanation.last!.contains("2027 年放假安排尚未载入"), r.explanation.joined())
        // Inside a loaded year, away from its last week, everything is certain.
        XCTAssertTrue(cal.explainAddingWorkingDays(d("2026-12-10"), 3).certain)
        // The last days of December wait for the next notice (元旦 may move them).
        XCTAssertFalse(cal.day(d("2026-12-28")).certain)
        XCTAssertTrue(cal.day(d("2025-12-28")).certain)
        // Before the first notice too.
        XCTAssertFalse(cal.day(d("2003-06-02")).certain)
        XCTAssertEqual(cal.addWorkingDays(d("2003-06-06"), 1), d("2003-06-09"))
        XCTAssertEqual(cal.addWorkingDays(d("2030-06-07"), -1), d("2030-06-06"))
    }

    /// Every answer agrees with a plain day-by-day walk, inside and outside the loaded years.
    func testIndexAgreesWithADayByDayWalk() throws {
        let cal = try Self.shipped.get()
        var seed: UInt64 = 42
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        let first = d("2001-01-01").dayNumber, span = d("2030-12-31").dayNumber - first
        for _ in 0..<3000 {
            let start = CivilDate(dayNumber: first + next(span))
            let n = next(61) - 30
            var walk = start.dayNumber, left = abs(n)
            while left > 0 {
                walk += n > 0 ? 1 : -1
                if cal.isWorkday(CivilDate(dayNumber: walk)) { left -= 1 }
            }
            let fast = cal.addWorkingDays(start, n)
            XCTAssertEqual(fast.dayNumber, walk, "\(start) + \(n)")
            XCTAssertEqual(cal.workingDaysBetween(start, fast), n, "\(start) → \(fast)")
        }
    }

    // MARK: local adjustments and loading

    func testLocalDayOffIsCountedAndExplained() throws {
        let local = LocalAdjustment(date: d("2026-07-20"), kind: .dayOff, name: "火把节（示例）", source: "示例州人民政府通知")
        let cal = try WorkingCalendar.shipped(adjustments: [local])
        XCTAssertFalse(cal.isWorkday(d("2026-07-20")))
        XCTAssertEqual(cal.addWorkingDays(d("2026-07-17"), 1), d("2026-07-21"))
        let r = cal.explainAddingWorkingDays(d("2026-07-17"), 1)
        XCTAssertEqual(r.passed.first?.text, "火把节（示例） 2026-07-20（星期一） 本地放假（示例州人民政府通知）")
        XCTAssertNotEqual(cal.version, try Self.shipped.get().version)
    }

    func testANewYearsNoticeMakesItsDatesCertain() throws {
        let json = #"""
        {"year": 2027, "notices": [{"number": "国办发明电〔2026〕1号", "title": "国务院办公厅关于2027年部分节假日安排的通知", "date": "2026-11-01"}],
         "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}],
         "workdays": [{"date": "2027-01-09", "name": "元旦"}]}
        """#
        let notice = try HolidayNotice.decode(Data(json.utf8), file: "2027.json")
        let cal = try WorkingCalendar.shipped(extra: [notice])
        XCTAssertTrue(cal.day(d("2026-12-28")).certain)
        let r = cal.explainAddingWorkingDays(d("2026-12-31"), 1)
        XCTAssertEqual(r.date, d("2027-01-04"))
        XCTAssertTrue(r.certain)
        XCTAssertTrue(cal.isWorkday(d("2027-01-09")))
    }

    func testBadNoticeFilesAreRefusedWithFileAndEntry() {
        func refusal(_ json: String) -> String {
            do {
                _ = try HolidayNotice.decode(Data(json.utf8), file: "2027.json")
                return "accepted"
            } catch {
                return error.message
            }
        }
        let head = #""year": 2027, "notices": [{"number": "n", "title": "t", "date": ""}]"#
        XCTAssertEqual(refusal("{\(head), \"holidays\": [], \"workdays\": [{\"date\": \"2027-01-06\", \"name\": \"元旦\"}]}"),
                       "文件 2027.json 无效：workdays[0]（2027-01-06） 是星期三；调休上班只能是星期六或星期日")
        XCTAssertTrue(refusal("{\(head), \"holidays\": [], \"workday\": []}").contains("缺少键 workdays"))
        XCTAssertTrue(refusal("{\(head), \"holidays\": [], \"workdays\": [], \"holiday\": []}").contains("未知的键 holiday"))
        XCTAssertTrue(refusal("{\(head), \"holidays\": [{\"name\": \"春节\", \"from\": \"2027-02-30\", \"to\": \"2027-03-01\"}], \"workdays\": []}")
            .contains("holidays.[0].from"))
        XCTAssertTrue(refusal("{\(head), \"holidays\": [{\"name\": \"春节\", \"from\": \"2028-02-01\", \"to\": \"2028-02-03\"}], \"workdays\": []}")
            .contains("超出 2027 年"))
        XCTAssertTrue(refusal("{\"year\": 2027").contains("不是有效的 JSON"))
    }

    // MARK: hours and dates

    func testHourClocksRunInShanghaiWallTime() {
        let occurred = HourClock.parseWallTime("2026-09-30 22:30")!
        XCTAssertEqual(HourClock.wallTime(HourClock.due(after: occurred, hours: 5)), "2026-10-01 03:30")
        XCTAssertEqual(HourClock.wallTime(HourClock.due(after: occurred, hours: 24)), "2026-10-01 22:30")
        XCTAssertEqual(occurred.timeIntervalSince1970, 1_790_778_600)
    }

    func testDayNumbersRoundTrip() {
        for text in ["1900-01-01", "1970-01-01", "2000-02-29", "2026-11-21", "2999-12-31"] {
            XCTAssertEqual(CivilDate(dayNumber: d(text).dayNumber), d(text))
        }
        XCTAssertEqual(d("1970-01-01").dayNumber, 0)
        XCTAssertEqual(d("2026-11-21").weekday, 6)
        XCTAssertEqual(d("2026-11-21").adding(days: -365), d("2025-11-21"))
    }
}
