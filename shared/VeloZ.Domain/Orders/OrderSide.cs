namespace VeloZ.Domain.Orders;

/// <summary>Side of an order; the contract's spelling lives in <see cref="OrderWire"/>.</summary>
public enum OrderSide
{
    /// <summary>Buy the base asset.</summary>
    Buy,

    /// <summary>Sell the base asset.</summary>
    Sell,
}
