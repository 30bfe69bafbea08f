import Foundation

/// Two hosts on this machine: network namespaces joined by a virtual Ethernet pair, each
/// with an address of its own, that `mpirun` reaches through a host file and a launcher that
/// stands in for `ssh` (it runs the command in the host's namespace). Open MPI then treats
/// the processes as on different machines: they talk over TCP, not shared memory.
///
/// Making namespaces needs root and `ip` (iproute2); ``isAvailable`` says whether both are here.
final class TwoHosts {
    /// The `ip` command.
    let ip: String
    /// The namespaces, one per host.
    let namespaces: [String]
    /// The hosts' addresses, in the namespaces' order.
    let addresses: [String]
    private let subnet: String
    private let folder: URL

    /// Where `ip` is, if this process may make namespaces (as root).
    static var ipCommand: String? {
        guard getuid() == 0 else { return nil }
        return ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first(where: FileManager.default.isExecutableFile)
    }

    /// Whether two hosts can be made here.
    static var isAvailable: Bool { ipCommand != nil }

    init() throws {
        guard let ip = Self.ipCommand else { throw MPIRunError("two hosts need root and `ip` (iproute2)") }
        self.ip = ip
        let tag = Int(getpid()) % 200 + 20  // a subnet and names of this test run's own
        subnet = "10.213.\(tag)"
        namespaces = ["flux-host-a-\(tag)", "flux-host-b-\(tag)"]
        addresses = ["\(subnet).1", "\(subnet).2"]
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("flux-hosts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (a, b) = (namespaces[0], namespaces[1])
        // Interface names have at most 15 characters.
        let interfaces = ["fx\(tag)a", "fx\(tag)b"]
        do {
            for namespace in namespaces { try run(["netns", "add", namespace]) }
            try run(["link", "add", interfaces[0], "type", "veth", "peer", "name", interfaces[1]])
            for ((namespace, address), interface) in zip(zip(namespaces, addresses), interfaces) {
                try run(["link", "set", interface, "netns", namespace])
                try run(["-n", namespace, "addr", "add", "\(address)/24", "dev", interface])
                try run(["-n", namespace, "link", "set", "lo", "up"])
                try run(["-n", namespace, "link", "set", interface, "up"])
            }
        } catch {
            remove()
            throw error
        }
        let agent = """
            #!/bin/sh
            # Stands in for ssh: runs the command in the named host's network namespace.
            host=$1; shift
            case $host in \(addresses[0])) ns=\(a);; \(addresses[1])) ns=\(b);; *) echo "no host $host" >&2; exit 1;; esac
            exec \(ip) netns exec "$ns" sh -c "$*"

            """
        try agent.write(to: agentPath, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: agentPath.path)
        try addresses.map { "\($0) slots=1\n" }.joined().write(to: hostFile, atomically: true, encoding: .utf8)
    }

    deinit { remove() }

    private var agentPath: URL { folder.appendingPathComponent("launch-on-host") }
    private var hostFile: URL { folder.appendingPathComponent("hosts") }

    /// What `mpirun` needs to start one process per host and use the hosts' network.
    var mpirunArguments: [String] {
        [
            "--hostfile", hostFile.path, "--map-by", "node", "--mca", "plm_rsh_agent", agentPath.path,
            "--mca", "btl", "tcp,self", "--mca", "btl_tcp_if_include", "\(subnet).0/24",
            "--mca", "oob_tcp_if_include", "\(subnet).0/24",
        ]
    }

    private func remove() {
        for namespace in namespaces { try? run(["netns", "del", namespace]) }  // takes its end of the pair along
        try? FileManager.default.removeItem(at: folder)
    }

    private func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ip)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw MPIRunError(
                "`ip \(arguments.joined(separator: " "))` failed with status \(process.terminationStatus)")
        }
    }
}
