// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "callscript",
  platforms: [.macOS(.v13)],
  products: [
    .library(name: "CallScript", targets: ["CallScript"]),
    .library(name: "CallScriptStore", targets: ["CallScriptStore"]),
    .executable(name: "callscript", targets: ["callscript"]),
  ],
  // `Postgres` adds the PostgreSQL incident store (postgres-nio, SwiftNIO): several minutes more
  // to build, so `swift run callscript take` builds without it; a center builds with
  // `--traits Postgres` (see the README).
  traits: [
    .trait(name: "Postgres", description: "The PostgreSQL incident store, for a center.")
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
  ],
  targets: [
    .target(
      name: "CallScript",
      dependencies: [
        .product(name: "Yams", package: "Yams"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      resources: [.embedInCode("Resources/active-attack.yaml")]
    ),
    .target(
      name: "CallScriptStore",
      dependencies: [
        "CallScript",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(
          name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["Postgres"])),
        .product(name: "Logging", package: "swift-log", condition: .when(traits: ["Postgres"])),
      ]
    ),
    // No pkgConfig: readline's .pc file adds -D flags SwiftPM refuses with a warning on every
    // build; the headers are in the default include path and the module map links the library.
    .systemLibrary(
      name: "CReadline",
      providers: [.apt(["libreadline-dev"])]
    ),
    .executableTarget(
      name: "callscript",
      dependencies: [
        "CallScript",
        "CallScriptStore",
        "CReadline",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(
      name: "callscript-bench",
      dependencies: ["CallScript", "CallScriptStore", .product(name: "Yams", package: "Yams")]
    ),
    .testTarget(name: "CallScriptTests", dependencies: ["CallScript"], exclude: ["Fixtures"]),
    .testTarget(name: "CallScriptStoreTests", dependencies: ["CallScript", "CallScriptStore"]),
    .testTarget(name: "callscriptTests", dependencies: ["callscript"]),
  ],
  swiftLanguageModes: [.v6]
)
