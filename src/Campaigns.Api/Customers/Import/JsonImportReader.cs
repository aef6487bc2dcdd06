using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Campaigns.Api.Errors;

namespace Campaigns.Api.Customers.Import;

/// <summary>
/// Streams the elements of a JSON array body one at a time, never holding the whole document.
/// Malformed JSON surfaces as a <see cref="JsonException"/> from the enumeration.
/// </summary>
public static class JsonImportReader
{
    public static async IAsyncEnumerable<ImportRow> ReadAsync(PipeReader body, JsonSerializerOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The serializer reads a top-level null as an empty sequence; only an array is an import.
        var first = await PeekFirstSignificantByteAsync(body, cancellationToken);
        if (first is null)
        {
            throw new ImportBodyException(ErrorCodes.InvalidJson, "body", "The request body is empty; send a JSON array of customers");
        }
        if (first is not (byte)'[' and not 0xEF) // 0xEF: a UTF-8 byte order mark, which the serializer skips
        {
            throw new ImportBodyException(ErrorCodes.InvalidJson, "body", "The import body must be a JSON array of customers");
        }

        await foreach (var row in JsonSerializer.DeserializeAsyncEnumerable<ImportRow>(body, options, cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>The first byte that is not JSON whitespace, left unconsumed; null for an empty body.</summary>
    private static async Task<byte?> PeekFirstSignificantByteAsync(PipeReader body, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var position = buffer.PositionOf(static b => b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'));
            if (position is { } found)
            {
                var value = buffer.Slice(found, 1).FirstSpan[0];
                body.AdvanceTo(buffer.Start, buffer.GetPosition(1, found));
                return value;
            }
            body.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    private static SequencePosition? PositionOf(this ReadOnlySequence<byte> buffer, Func<byte, bool> predicate)
    {
        var offset = 0L;
        foreach (var segment in buffer)
        {
            var span = segment.Span;
            for (var i = 0; i < span.Length; i++)
            {
                if (predicate(span[i]))
                {
                    return buffer.GetPosition(offset + i);
                }
            }
            offset += span.Length;
        }
        return null;
    }
}
