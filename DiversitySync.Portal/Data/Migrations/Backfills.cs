namespace DiversitySync.Portal.Data.Migrations;

/// <summary>SQL that fills a new column from what is already stored, the same for SQLite and PostgreSQL.</summary>
internal static class Backfills
{
    /// <summary>ApiKey.HoldsWriteScope and ApiKey.ScopesIdleSince, as the service and the usage writer set them.</summary>
    public const string ReviewColumns =
        "UPDATE \"ApiKeys\" SET \"HoldsWriteScope\" = TRUE WHERE \"Scopes\" LIKE 'write:%' OR \"Scopes\" LIKE '% write:%';" +
        "UPDATE \"ApiKeys\" SET \"ScopesIdleSince\" = CASE WHEN (SELECT COUNT(*) FROM \"KeyScopeLastUses\" u " +
        "WHERE u.\"KeyId\" = \"ApiKeys\".\"KeyId\") < length(\"Scopes\") - length(replace(\"Scopes\", ' ', '')) + 1 " +
        "THEN \"CreatedAt\" ELSE (SELECT MIN(u.\"LastAt\") FROM \"KeyScopeLastUses\" u " +
        "WHERE u.\"KeyId\" = \"ApiKeys\".\"KeyId\") END;";
}
