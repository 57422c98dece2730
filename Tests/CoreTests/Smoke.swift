import XCTest
final class CoreSmokeTests: XCTestCase { func testNothing() {} }
