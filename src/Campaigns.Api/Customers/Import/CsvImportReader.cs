using System.Runtime.CompilerServices;
using Campaigns.Api.Errors;
using nietras.SeparatedValues;

namespace Campaigns.Api.Customers.Import;

/// <summary>
/// Streams a comma-separated body (RFC 4180 quoting, UTF-8) with Sep. The first row is the header: its
/// column names are the JSON field names (matched ignoring case and surrounding spaces), unknown columns
/// are ignored, and it must name <c>phone</c>. Cells are taken exactly as written (quotes removed, nothing
/// trimmed). Blank lines are skipped and not counted as rows.
/// </summary>
public static class CsvImportReader
{
    private static readonly string[] Fields = ["phone", "first_name", "last_name", "location", "preferred_product", "opted_out", "timezone", "language"];

    public static async IAsyncEnumerable<ImportRow> ReadAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = await Sep.New(',')
            .Reader(options => options with { HasHeader = false, Unescape = true, DisableColCountCheck = true })
            .FromAsync(body, cancellationToken);

        int[]? columns = null; // per field in Fields: its column index, or -1
        var width = 0;
        await foreach (var row in reader)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (columns is null)
            {
                width = row.ColCount;
                columns = ReadHeader(row);
                continue;
            }
            if (row.ColCount == 1 && row[0].Span.IsEmpty)
            {
                continue;
            }
            var item = ReadRow(row, columns, width);
            yield return item;
        }
        if (columns is null)
        {
            throw MissingPhone();
        }
    }

    private static int[] ReadHeader(SepReader.Row header)
    {
        var columns = new int[Fields.Length];
        Array.Fill(columns, -1);
        for (var col = 0; col < header.ColCount; col++)
        {
            var name = header[col].Span.Trim();
            for (var field = 0; field < Fields.Length; field++)
            {
                if (name.Equals(Fields[field], StringComparison.OrdinalIgnoreCase))
                {
                    if (columns[field] >= 0)
                    {
                        throw new ImportBodyException(ErrorCodes.ValidationError, "header",
                            $"header names the column {Fields[field]} more than once");
                    }
                    columns[field] = col;
                }
            }
        }
        return columns[0] < 0 ? throw MissingPhone() : columns;
    }

    private static ImportRow ReadRow(SepReader.Row row, int[] columns, int width)
    {
        var phone = Cell(row, columns[0]);
        if (row.ColCount != width)
        {
            return new ImportRow(phone, null, null, null, null, null, null, null,
                $"row has {row.ColCount} columns but the header has {width}");
        }

        bool? optedOut = null;
        string? error = null;
        if (columns[5] >= 0)
        {
            var cell = row[columns[5]].Span;
            if (cell.Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                optedOut = true;
            }
            else if (cell.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                optedOut = false;
            }
            else if (!cell.IsEmpty) // an empty cell leaves opted_out as it is
            {
                error = "opted_out must be true or false";
            }
        }
        // An empty zone cell gives no zone, like an empty opted_out cell.
        var timezone = Cell(row, columns[6]) is { Length: > 0 } zone ? zone : null;
        return new ImportRow(phone, Cell(row, columns[1]), Cell(row, columns[2]), Cell(row, columns[3]), Cell(row, columns[4]),
            optedOut, timezone, Cell(row, columns[7]), error);
    }

    private static string? Cell(SepReader.Row row, int col) => col >= 0 && col < row.ColCount ? row[col].ToString() : null;

    private static ImportBodyException MissingPhone() =>
        new(ErrorCodes.ValidationError, "header", "The first CSV row must be a header naming the columns, including phone");
}
