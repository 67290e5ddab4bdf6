import PacketSets
import Testing

@Suite struct AddressTests {
    @Test(arguments: ["10.0.0.1", "0.0.0.0", "255.255.255.255", "192.168.1.10"])
    func addressRoundTrips(_ text: String) throws {
        #expect(try #require(IPv4Address(text)).description == text)
    }

    @Test(arguments: ["10.0.0", "10.0.0.256", "10.0.0.01", "a.b.c.d", "", "10..0.1", " 10.0.0.1"])
    func malformedAddressIsRejected(_ text: String) {
        #expect(IPv4Address(text) == nil)
    }

    @Test func cidrBlockClearsHostBitsAndComputesRange() throws {
        let block = try #require(CIDRBlock("10.0.1.77/24"))
        #expect(block.description == "10.0.1.0/24")
        #expect(!CIDRBlock.isCanonical("10.0.1.77/24"))
        #expect(CIDRBlock.isCanonical("10.0.1.0/24"))
        #expect(block.contains(try #require(IPv4Address("10.0.1.255"))))
        #expect(!block.contains(try #require(IPv4Address("10.0.2.0"))))
        #expect(CIDRBlock.all.range == 0...UInt32.max)
        #expect(try #require(CIDRBlock("10.0.0.5")).prefixLength == 32)
    }

    @Test(arguments: ["10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "x/8"])
    func malformedCIDRIsRejected(_ text: String) {
        #expect(CIDRBlock(text) == nil)
    }

    /// The byte parser for native strings reads every text exactly as the generic one does.
    @Test func stringAndSubstringParsesAgree() {
        let pieces = ["0", "1", "01", "10", "255", "256", "999", ".", "/", "8", "32", "33", "", "x", " ", "-1", "000"]
        var generator = SystemRandomNumberGenerator()
        var texts = ["10.0.0.0/8", "10.0.0.1", "10.0.0.0/08", "10.0.0.0/", "1.2.3.4/32/1", "1.2.3.4//1"]
        for _ in 0..<20_000 {
            texts.append(
                (0..<Int.random(in: 1...9, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? ""
                }.joined())
        }
        for text in texts {
            #expect(CIDRBlock(text) == CIDRBlock(Substring(text)), "\(text)")
        }
    }

    @Test func containmentAndOverlap() throws {
        let wide = try #require(CIDRBlock("10.0.0.0/16"))
        let narrow = try #require(CIDRBlock("10.0.5.0/24"))
        let other = try #require(CIDRBlock("10.1.0.0/16"))
        #expect(wide.contains(narrow) && !narrow.contains(wide))
        #expect(wide.overlaps(narrow) && !wide.overlaps(other))
    }
}
