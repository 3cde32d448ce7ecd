// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "callscript",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "CallScript", targets: ["CallScript"]),
    .library(name: "CallScriptIO", targets: ["CallScriptIO"]),
    .library(name: "CallScriptStore", targets: ["CallScriptStore"]),
    .executable(name: "callscript", targets: ["callscript"]),
  ],
  // `Postgres` adds the PostgreSQL incident store (postgres-nio, SwiftNIO): several minutes more
  // to build, so `swift run callscript take` builds without it; a center builds with
  // `--traits Postgres` (see the README).
  // `Server` adds `callscript serve` (Hummingbird, SwiftNIO): the same reason keeps it out of the
  // default build.
  traits: [
    .trait(name: "Postgres", description: "The PostgreSQL incident store, for a center."),
    .trait(
      name: "Server",
      description: "callscript serve: EIDO over NENA STA-024 WebSocket and the live board."),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
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
    // The engine's files and threads: the transcript writer, reading transcripts for a review and
    // reviewing many on several threads. `CallScript` itself reads and writes no file.
    .target(name: "CallScriptIO", dependencies: ["CallScript"]),
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
    // Empty without the `Server` trait, so the default build never compiles Hummingbird.
    .target(
      name: "CallScriptServer",
      dependencies: [
        "CallScript",
        "CallScriptStore",
        .product(name: "Hummingbird", package: "hummingbird", condition: .when(traits: ["Server"])),
        .product(
          name: "HummingbirdWebSocket", package: "hummingbird-websocket",
          condition: .when(traits: ["Server"])),
        .product(
          name: "HummingbirdWSClient", package: "hummingbird-websocket",
          condition: .when(traits: ["Server"])),
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
        "CallScriptIO",
        "CallScriptStore",
        .target(name: "CallScriptServer", condition: .when(traits: ["Server"])),
        "CReadline",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(
      name: "callscript-bench",
      dependencies: [
        "CallScript", "CallScriptIO", "CallScriptStore", .product(name: "Yams", package: "Yams"),
        .target(name: "CallScriptServer", condition: .when(traits: ["Server"])),
      ]
    ),
    .testTarget(
      name: "CallScriptTests", dependencies: ["CallScript", "CallScriptIO"], exclude: ["Fixtures"]),
    .testTarget(name: "CallScriptStoreTests", dependencies: ["CallScript", "CallScriptStore"]),
    .testTarget(name: "callscriptTests", dependencies: ["callscript"]),
    .testTarget(
      name: "CallScriptServerTests",
      dependencies: ["CallScript", "CallScriptStore", "CallScriptServer"]),
  ],
  swiftLanguageModes: [.v6]
)
