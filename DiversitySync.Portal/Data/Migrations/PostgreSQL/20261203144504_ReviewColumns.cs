using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DiversitySync.Portal.Data.Migrations.PostgreSQL
{
    /// <inheritdoc />
    public partial class ReviewColumns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_ExpiresAt_KeyId",
                table: "ApiKeys");

            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_LastUsedAt_KeyId",
                table: "ApiKeys");

            migrationBuilder.AddColumn<bool>(
                name: "HoldsWriteScope",
                table: "ApiKeys",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "ScopesIdleSince",
                table: "ApiKeys",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_ExpiresAt_KeyId_RevokedAt",
                table: "ApiKeys",
                columns: new[] { "ExpiresAt", "KeyId", "RevokedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_HoldsWriteScope_Environment_RevokedAt_ExpiresAt",
                table: "ApiKeys",
                columns: new[] { "HoldsWriteScope", "Environment", "RevokedAt", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_LastUsedAt_KeyId_RevokedAt_ExpiresAt_CreatedAt",
                table: "ApiKeys",
                columns: new[] { "LastUsedAt", "KeyId", "RevokedAt", "ExpiresAt", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_ScopesIdleSince_RevokedAt_ExpiresAt",
                table: "ApiKeys",
                columns: new[] { "ScopesIdleSince", "RevokedAt", "ExpiresAt" });

            migrationBuilder.Sql(Backfills.ReviewColumns);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_ExpiresAt_KeyId_RevokedAt",
                table: "ApiKeys");

            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_HoldsWriteScope_Environment_RevokedAt_ExpiresAt",
                table: "ApiKeys");

            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_LastUsedAt_KeyId_RevokedAt_ExpiresAt_CreatedAt",
                table: "ApiKeys");

            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_ScopesIdleSince_RevokedAt_ExpiresAt",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "HoldsWriteScope",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "ScopesIdleSince",
                table: "ApiKeys");

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_ExpiresAt_KeyId",
                table: "ApiKeys",
                columns: new[] { "ExpiresAt", "KeyId" });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_LastUsedAt_KeyId",
                table: "ApiKeys",
                columns: new[] { "LastUsedAt", "KeyId" });
        }
    }
}
