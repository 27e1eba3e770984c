using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace VeloZ.Functions.Orders;

/// <summary>
/// A request body read as a flat set of fields, from JSON (an object) or from a form-encoded body,
/// as the original gateway accepted both. Numbers keep their exact text, so <c>0.1</c> becomes exactly
/// <c>0.1m</c>. Bodies larger than <see cref="MaxBytes"/> are refused before parsing.
/// </summary>
internal sealed class RequestBody
{
    public const int MaxBytes = 16 * 1024;

    private readonly Dictionary<string, Field> _fields;

    private RequestBody(Dictionary<string, Field> fields) => _fields = fields;

    /// <summary>A field's raw value: JSON kind (or String for form fields) and its text.</summary>
    public readonly record struct Field(JsonValueKind Kind, string Text);

    public bool TryGet(string name, out Field field) => _fields.TryGetValue(name, out field);

    /// <summary>Reads and parses the body; on failure returns the contract error code and a message.</summary>
    public static async Task<(RequestBody? Body, string? Error, string? Message)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxBytes)
        {
            return (null, "bad_params", $"The body is larger than {MaxBytes} bytes.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, "bad_params", $"The body is larger than {MaxBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.ToArray();
        var contentType = request.ContentType ?? string.Empty;
        var isForm = contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || (contentType.Length == 0 && bytes.Length > 0 && bytes[0] != (byte)'{' && !char.IsWhiteSpace((char)bytes[0]));
        return isForm ? ParseForm(bytes) : ParseJson(bytes);
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
        CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(validate);
        ArgumentNullException.ThrowIfNull(handle);
        var (body, error, message) = await ReadAsync(request, cancellationToken);
        if (body is null)
        {
            return Http.ApiResults.Error(StatusCodes.Status400BadRequest, error!, message);
        }

        var (value, fieldError) = validate(body);
        return value is null
            ? Http.ApiResults.Error(StatusCodes.Status400BadRequest, Http.ApiErrors.BadParams, fieldError!.Message, fieldError.Field)
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
