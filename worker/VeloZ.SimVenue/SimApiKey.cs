namespace VeloZ.SimVenue;

/// <summary>
/// An HMAC API key pair the simulated venue accepts. Each key is its own account with the configured
/// starting balances. <see cref="ToString"/> never shows the secret.
/// </summary>
public sealed class SimApiKey
{
    /// <summary>VeloZ's own test-only key (64 alphanumerics, like Binance keys). Never a real credential.</summary>
    public const string VeloZTestApiKey = "VeloZSimVenueTestOnlyApiKey0000000000000000000000000000000000000";

    /// <summary>The secret of <see cref="VeloZTestApiKey"/>; test-only, published in docs/sim-venue.md.</summary>
    public const string VeloZTestSecretKey = "VeloZSimVenueTestOnlySecretKey0000000000000000000000000000000000";

    /// <summary>The key pair of Binance's signing examples (public documentation, test-only), so the documented vectors verify.</summary>
    public const string BinanceDocsApiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";

    /// <summary>The secret of <see cref="BinanceDocsApiKey"/> as printed in Binance's signing examples.</summary>
    public const string BinanceDocsSecretKey = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

    /// <summary>VeloZ's own test-only Ed25519 key (registered with its public key, as Binance registers Ed25519 keys).</summary>
    public const string VeloZTestEd25519ApiKey = "VeloZSimVenueTestOnlyEd25519Key000000000000000000000000000000000";

    /// <summary>The private key of <see cref="VeloZTestEd25519ApiKey"/> (PKCS#8 PEM); test-only, published in docs/sim-venue.md.</summary>
    public const string VeloZTestEd25519PrivateKeyPem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIMpCnITwHSui8SzC+X/8rJCqnnp4Em62VZDLtqZEbRyJ\n-----END PRIVATE KEY-----\n";

    /// <summary>The public key of <see cref="VeloZTestEd25519ApiKey"/> (SubjectPublicKeyInfo PEM), what the venue verifies with.</summary>
    public const string VeloZTestEd25519PublicKeyPem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAajDQTjC0SfYgDxXek8Qou/5bzwdUboWBWEP7qjIW9IM=\n-----END PUBLIC KEY-----\n";

    /// <summary>An HMAC key: requests are signed with HMAC-SHA256 of <paramref name="secretKey"/> (hex).</summary>
    public SimApiKey(string apiKey, string secretKey, bool canTrade = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(secretKey);
        ApiKey = apiKey;
        SecretKey = secretKey;
        CanTrade = canTrade;
    }

    private SimApiKey(string apiKey, Org.BouncyCastle.Crypto.Parameters.Ed25519PublicKeyParameters publicKey, bool canTrade)
    {
        ApiKey = apiKey;
        SecretKey = string.Empty;
        Ed25519PublicKey = publicKey;
        CanTrade = canTrade;
    }

    /// <summary>
    /// An Ed25519 key, registered by its public key as <paramref name="publicKeyPem"/> (<c>-----BEGIN PUBLIC KEY-----</c>):
    /// requests are signed with the private key, base64 (Binance Spot API docs, "SIGNED request example (Ed25519)").
    /// </summary>
    /// <exception cref="ArgumentException">The PEM is not an Ed25519 public key.</exception>
    public static SimApiKey Ed25519(string apiKey, string publicKeyPem, bool canTrade = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(publicKeyPem);
        try
        {
            var body = publicKeyPem.Replace("-----BEGIN PUBLIC KEY-----", string.Empty, StringComparison.Ordinal)
                .Replace("-----END PUBLIC KEY-----", string.Empty, StringComparison.Ordinal);
            var der = Convert.FromBase64String(string.Concat(body.Where(c => !char.IsWhiteSpace(c))));
            return Org.BouncyCastle.Security.PublicKeyFactory.CreateKey(der) is Org.BouncyCastle.Crypto.Parameters.Ed25519PublicKeyParameters key
                ? new SimApiKey(apiKey, key, canTrade)
                : throw new ArgumentException("Not an Ed25519 public key.", nameof(publicKeyPem));
        }
        catch (Exception ex) when (ex is not ArgumentException and not OutOfMemoryException)
        {
            throw new ArgumentException($"Not an Ed25519 public key ({ex.GetType().Name}).", nameof(publicKeyPem), ex);
        }
    }

    /// <summary>The public key of an Ed25519 key; null for an HMAC key.</summary>
    public Org.BouncyCastle.Crypto.Parameters.Ed25519PublicKeyParameters? Ed25519PublicKey { get; }

    /// <summary>The key sent in <c>X-MBX-APIKEY</c> (REST) or <c>apiKey</c> (WebSocket API).</summary>
    public string ApiKey { get; }

    /// <summary>The HMAC-SHA256 secret (empty for an Ed25519 key).</summary>
    public string SecretKey { get; }

    /// <summary>When false, TRADE requests (place/cancel) answer -2015 like a key without trading permission.</summary>
    public bool CanTrade { get; }

    /// <summary>The default keys: VeloZ's HMAC test key, the Binance documentation pair and VeloZ's Ed25519 test key.</summary>
    public static IReadOnlyList<SimApiKey> Defaults { get; } =
    [
        new(VeloZTestApiKey, VeloZTestSecretKey),
        new(BinanceDocsApiKey, BinanceDocsSecretKey),
        Ed25519(VeloZTestEd25519ApiKey, VeloZTestEd25519PublicKeyPem),
    ];

    public override string ToString() => $"SimApiKey({ApiKey}, secret hidden)";
}
