// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "fabu",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "fabu", targets: ["fabu"]),
        .executable(name: "fabu-bench", targets: ["fabu-bench"]),
        .library(name: "App", targets: ["App"]),
        .library(name: "Core", targets: ["Core"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.1"),
    ],
    targets: [
        // Pure domain rules: no Vapor, no Fluent.
        .target(
            name: "Core",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Resources/Profiles"), .copy("Resources/Calendar")]
        ),
        .target(
            name: "App",
            dependencies: [
                "Core",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "LeafKit", package: "leaf-kit"),
            ],
            resources: [.copy("Resources")]
        ),
        .executableTarget(name: "fabu", dependencies: ["App"]),
        // Benchmarks (`swift run -c release fabu-bench calendar`); Core only, so a release build is quick.
        .executableTarget(name: "fabu-bench", dependencies: ["Core"]),
        .testTarget(name: "CoreTests", dependencies: ["Core"], resources: [.copy("Seeds")]),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App",
                .product(name: "XCTVapor", package: "vapor"),
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
