using VeloZ.Domain.Orders;

namespace VeloZ.Domain.Tests.Orders;

public sealed class ClientOrderIdsTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("Z")]
    [InlineData("7")]
    [InlineData("-")]
    [InlineData("_")]
    [InlineData("my-order-001")]
    [InlineData("6gCrw2kRUAF9CvJDGP16IP")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789")] // 36
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ-_01234567")] // 36
    public void Fits_binance_rule(string id)
    {
        Assert.True(ClientOrderIds.IsValid(id));
        Assert.True(id.Length <= ClientOrderIds.MaxLength);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789a")] // 37
    [InlineData("my.order")]                             // dot not allowed
    [InlineData("my order")]
    [InlineData(" a")]
    [InlineData("a\n")]
    [InlineData("a/b")]
    [InlineData("a+b")]
    [InlineData("a:b")]
    [InlineData("ordre-é")]                              // Latin letter outside ASCII
    [InlineData("ｏｒｄｅｒ")]                             // full-width letters
    [InlineData("٣٤٥")]                                  // Arabic-Indic digits
    [InlineData("order-😀")]
    public void Refuses_what_binance_refuses(string? id) => Assert.False(ClientOrderIds.IsValid(id));

    [Fact]
    public void New_ids_are_valid_prefixed_and_unique()
    {
        var ids = Enumerable.Range(0, 20_000).Select(_ => ClientOrderIds.NewId()).ToList();

        Assert.All(ids, id =>
        {
            Assert.True(ClientOrderIds.IsValid(id), id);
            Assert.StartsWith(ClientOrderIds.GeneratedPrefix, id, StringComparison.Ordinal);
            Assert.Equal(ClientOrderIds.GeneratedPrefix.Length + ClientOrderIds.GeneratedRandomLength, id.Length);
            Assert.All(id[ClientOrderIds.GeneratedPrefix.Length..], c => Assert.True(char.IsAsciiLetterOrDigit(c)));
        });
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.InRange(ClientOrderIds.GeneratedRandomLength, 22, 32);
    }

    [Fact]
    public void New_ids_use_the_whole_alphabet()
    {
        var seen = Enumerable.Range(0, 2_000).SelectMany(_ => ClientOrderIds.NewId()[ClientOrderIds.GeneratedPrefix.Length..]).ToHashSet();

        Assert.Equal(62, seen.Count);
    }
}
