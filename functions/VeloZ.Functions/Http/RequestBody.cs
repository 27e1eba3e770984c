using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace VeloZ.Functions.Http;

/// <summary>
/// A request body read as a flat set of fields, from JSON (an object) or from a form-encoded body,
/// as the original gateway accepted both. Numbers keep their exact text, so <c>0.1</c> becomes exactly
/// <c>0.1m</c>. Bodies larger than <see cref="MaxBytes"/> are refused (413) without being read to the end.
/// </summary>
internal sealed class RequestBody
{
    public const int MaxBytes = 16 * 1024;

    private readonly Dictionary<string, Field> _fields;

    private RequestBody(Dictionary<string, Field> fields) => _fields = fields;

    /// <summary>A field's raw value: JSON kind (or String for form fields) and its text.</summary>
    public readonly record struct Field(JsonValueKind Kind, string Text);

    public bool TryGet(string name, out Field field) => _fields.TryGetValue(name, out field);

    /// <summary>The names of the fields the body has, in no particular order.</summary>
    public Dictionary<string, Field>.KeyCollection Names => _fields.Keys;

    /// <summary>
    /// Reads and parses the body; on failure returns the HTTP status, the contract error code and a message.
    /// Accepted: <c>application/json</c>, <c>application/x-www-form-urlencoded</c>, <c>text/plain</c> (what a
    /// browser's <c>fetch</c> sends for a string body) or no content type (JSON or form, by the first byte),
    /// in UTF-8; any other declared type or charset is 415 <c>unsupported_media_type</c>. A body over
    /// <see cref="MaxBytes"/> is 413 <c>body_too_large</c>; reading stops there, the rest is never read.
    /// </summary>
    public static async Task<(RequestBody? Body, int Status, string? Error, string? Message)> ReadAsync(HttpRequest request, bool emptyAllowed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxBytes)
        {
            return TooLarge(request);
        }

        if (!TryClassifyContentType(request.ContentType, out var declared))
        {
            return (null, StatusCodes.Status415UnsupportedMediaType, ApiErrors.UnsupportedMediaType,
                "Send the body as application/json (or application/x-www-form-urlencoded), in UTF-8.");
        }

        byte[] bytes;
        if (request.ContentLength is { } length)
        {
            // The usual case: the length is declared (and already checked), so read straight into the result.
            bytes = new byte[length];
            var filled = 0;
            int read;
            while (filled < bytes.Length && (read = await request.Body.ReadAsync(bytes.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += read;
            }

            if (filled < bytes.Length)
            {
                Array.Resize(ref bytes, filled);
            }
        }
        else
        {
            using var buffer = new MemoryStream();
            var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(4096);
            try
            {
                int read;
                while ((read = await request.Body.ReadAsync(chunk.AsMemory(0, 4096), cancellationToken)) > 0)
                {
                    if (buffer.Length + read > MaxBytes)
                    {
                        return TooLarge(request);
                    }

                    buffer.Write(chunk, 0, read);
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
            }

            bytes = buffer.ToArray();
        }

        if (bytes.Length == 0 && emptyAllowed)
        {
            return (new RequestBody(new Dictionary<string, Field>(StringComparer.Ordinal)), StatusCodes.Status200OK, null, null);
        }

        var isForm = declared == BodyType.Form
            || (declared == BodyType.Unspecified && bytes.Length > 0 && bytes[0] != (byte)'{' && !char.IsWhiteSpace((char)bytes[0]));
        var (body, error, message) = isForm ? ParseForm(bytes) : ParseJson(bytes);
        return (body, body is null ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, error, message);
    }

    /// <summary>
    /// The rest of the body is never read, so the connection cannot carry another request: the answer says
    /// <c>Connection: close</c>, and a client does not reuse it.
    /// </summary>
    private static (RequestBody?, int, string?, string?) TooLarge(HttpRequest request)
    {
        request.HttpContext.Response.Headers.Connection = "close";
        return (null, StatusCodes.Status413PayloadTooLarge, ApiErrors.BodyTooLarge, $"The body is larger than {MaxBytes} bytes.");
    }

    private enum BodyType
    {
        Unspecified,
        Json,
        Form,
    }

    private static bool TryClassifyContentType(string? contentType, out BodyType type)
    {
        type = BodyType.Unspecified;
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return true;
        }

        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        var charset = media.Charset.Value;
        if (charset is not null && !charset.Trim('"').Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Trim('"').Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        switch (media.MediaType.Value?.ToLowerInvariant())
        {
            case "application/json" or "text/plain":
                type = BodyType.Json;
                return true;
            case "application/x-www-form-urlencoded":
                type = BodyType.Form;
                return true;
            default:
                return false;
        }
    }

    private static (RequestBody?, string?, string?) ParseJson(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, "bad_json", "The body must be a JSON object.");
            }

            var fields = new Dictionary<string, Field>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (fields.ContainsKey(property.Name))
                {
                    return (null, "bad_params", $"Field '{Sanitize(property.Name)}' appears more than once.");
                }

                var value = property.Value;
                fields[property.Name] = value.ValueKind switch
                {
                    JsonValueKind.String => new Field(JsonValueKind.String, value.GetString()!),
                    JsonValueKind.Number => new Field(JsonValueKind.Number, value.GetRawText()),
                    _ => new Field(value.ValueKind, value.GetRawText()),
                };
            }

            return (new RequestBody(fields), null, null);
        }
        catch (JsonException)
        {
            return (null, "bad_json", "The body is not valid JSON.");
        }
        catch (InvalidOperationException)
        {
            // Unpaired surrogates and similar text the JSON reader refuses to materialise.
            return (null, "bad_json", "The body is not valid JSON.");
        }
    }

    private static (RequestBody?, string?, string?) ParseForm(byte[] bytes)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return (null, "bad_params", "The form body is not valid UTF-8.");
        }

        var fields = new Dictionary<string, Field>(StringComparer.Ordinal);
        foreach (var pair in new QueryStringEnumerable(text))
        {
            var name = pair.DecodeName().ToString();
            if (fields.ContainsKey(name))
            {
                return (null, "bad_params", $"Field '{Sanitize(name)}' appears more than once.");
            }

            fields[name] = new Field(JsonValueKind.String, pair.DecodeValue().ToString());
        }

        return (new RequestBody(fields), null, null);
    }

    /// <summary>
    /// Reads the body, validates it with <paramref name="validate"/>, and runs <paramref name="handle"/> on the
    /// valid request; unreadable bodies and bad fields get the contract's 400 answers.
    /// </summary>
    public static async Task<Microsoft.AspNetCore.Mvc.IActionResult> HandleAsync<T>(
        HttpRequest request,
        Func<RequestBody, (T? Value, FieldError? Error)> validate,
        Func<T, Task<Microsoft.AspNetCore.Mvc.IActionResult>> handle,
        CancellationToken cancellationToken,
        bool emptyAllowed = false)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(validate);
        ArgumentNullException.ThrowIfNull(handle);
        var (body, status, error, message) = await ReadAsync(request, emptyAllowed, cancellationToken);
        if (body is null)
        {
            return ApiResults.Error(status, error!, message);
        }

        var (value, fieldError) = validate(body);
        return value is null
            ? ApiResults.Error(StatusCodes.Status400BadRequest, ApiErrors.BadParams, fieldError!.Message, fieldError.Field)
            : await handle(value);
    }

    /// <summary>A field name fit to quote in an error message: printable, at most 40 characters.</summary>
    public static string Sanitize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var clean = new string([.. text.Take(40).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c)]);
        return text.Length > 40 ? clean + "…" : clean;
    }
}
