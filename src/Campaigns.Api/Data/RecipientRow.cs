using Campaigns.Core.Templates;
using Npgsql;

namespace Campaigns.Api.Data;

/// <summary>What rendering a message for one customer needs; read with a plain reader, no mapper, for speed.</summary>
public readonly record struct RecipientRow(long Id, TemplateFields Fields, bool OptedOut)
{
    public const string Columns = "id, phone, first_name, last_name, location, preferred_product, opted_out";

    public static async Task<List<RecipientRow>> ReadAsync(NpgsqlConnection connection, string sql,
        Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<RecipientRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var fields = new TemplateFields(
                FirstName: reader.GetString(2),
                LastName: reader.GetString(3),
                Location: reader.GetString(4),
                PreferredProduct: reader.GetString(5),
                Phone: reader.GetString(1));
            rows.Add(new RecipientRow(reader.GetInt64(0), fields, reader.GetBoolean(6)));
        }
        return rows;
    }
}
