import XCTest
import XCTVapor
import Yams
@testable import App
final class AppSmokeTests: XCTestCase { func testNothing() {} }
