using VeloZ.Domain.Numerics;

namespace VeloZ.Domain.Tests.Numerics;

public sealed class DecimalTextTests
{
    [Theory]
    [InlineData("0.00000001")]
    [InlineData("42000.50")]
    [InlineData("123456789012345.123456789")]
    [InlineData("-1.5")]
    public void Round_trips_exactly_without_exponent(string text)
    {
        var value = DecimalText.Parse(text);
        var formatted = DecimalText.Format(value);

        Assert.Equal(text, formatted);
        Assert.DoesNotContain('E', formatted);
    }

    [Fact]
    public void Sums_stay_exact() => Assert.Equal("0.3", DecimalText.Format(DecimalText.Parse("0.1") + DecimalText.Parse("0.2")));

    [Theory]
    [InlineData("1e5")]
    [InlineData("1,5")]
    [InlineData("NaN")]
    [InlineData("")]
    public void Rejects_what_is_not_a_plain_decimal(string text) => Assert.False(DecimalText.TryParse(text, out _));
}

public sealed class DecimalTrimTests
{
    [Theory]
    [InlineData("42000.50000000", "42000.5")]
    [InlineData("100000.00000000", "100000")]
    [InlineData("0.00000001", "0.00000001")]
    [InlineData("0E-8", "0")]
    public void Trailing_zeros_go_the_value_stays(string text, string expected)
    {
        var value = decimal.Parse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
        var trimmed = DecimalText.Trim(value);

        Assert.Equal(value, trimmed);
        Assert.Equal(expected, DecimalText.Format(trimmed));
    }
}
