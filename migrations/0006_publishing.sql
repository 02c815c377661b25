CREATE TABLE "broadcast_channels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"org_id" uuid NOT NULL,
	"timezone" text DEFAULT 'Asia/Ho_Chi_Minh' NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "broadcast_channels_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "broadcast_slots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel_id" uuid NOT NULL,
	"material_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "broadcast_slots_order" CHECK ("broadcast_slots"."ends_at" > "broadcast_slots"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "youtube_channels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"client_id" text NOT NULL,
	"client_secret_enc" text NOT NULL,
	"refresh_token_enc" text,
	"status" text DEFAULT 'needs_authorization' NOT NULL,
	"youtube_channel_id" text,
	"youtube_title" text,
	"settings" jsonb NOT NULL,
	"paused_until" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "youtube_exports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"material_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"channel_id" uuid NOT NULL,
	"requested_by" uuid NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"privacy" text NOT NULL,
	"publish_at" timestamp with time zone,
	"media_key" text,
	"bytes_total" bigint,
	"bytes_sent" bigint DEFAULT 0 NOT NULL,
	"session_uri" text,
	"video_id" text,
	"steps" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"deferred_until" timestamp with time zone,
	"reason" text,
	"warnings" text[] DEFAULT '{}' NOT NULL,
	"applied_privacy" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "youtube_playlists" (
	"channel_id" uuid NOT NULL,
	"key" text NOT NULL,
	"playlist_id" text NOT NULL,
	"title" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "youtube_playlists_channel_id_key_pk" PRIMARY KEY("channel_id","key")
);
--> statement-breakpoint
CREATE TABLE "youtube_projects" (
	"client_id" text PRIMARY KEY NOT NULL,
	"day" text NOT NULL,
	"units_used" integer DEFAULT 0 NOT NULL,
	"uploads_used" integer DEFAULT 0 NOT NULL,
	"paused_until" timestamp with time zone,
	"unverified_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "broadcast_channels" ADD CONSTRAINT "broadcast_channels_org_id_org_units_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "broadcast_channels" ADD CONSTRAINT "broadcast_channels_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "broadcast_slots" ADD CONSTRAINT "broadcast_slots_channel_id_broadcast_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."broadcast_channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "broadcast_slots" ADD CONSTRAINT "broadcast_slots_material_id_materials_id_fk" FOREIGN KEY ("material_id") REFERENCES "public"."materials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "broadcast_slots" ADD CONSTRAINT "broadcast_slots_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "youtube_channels" ADD CONSTRAINT "youtube_channels_org_id_org_units_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "youtube_channels" ADD CONSTRAINT "youtube_channels_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "youtube_exports" ADD CONSTRAINT "youtube_exports_material_id_materials_id_fk" FOREIGN KEY ("material_id") REFERENCES "public"."materials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "youtube_exports" ADD CONSTRAINT "youtube_exports_version_id_material_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."material_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "youtube_exports" ADD CONSTRAINT "youtube_exports_channel_id_youtube_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."youtube_channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "youtube_exports" ADD CONSTRAINT "youtube_exports_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "youtube_playlists" ADD CONSTRAINT "youtube_playlists_channel_id_youtube_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."youtube_channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "broadcast_slots_channel_idx" ON "broadcast_slots" USING btree ("channel_id","starts_at");--> statement-breakpoint
CREATE INDEX "broadcast_slots_material_idx" ON "broadcast_slots" USING btree ("material_id");--> statement-breakpoint
CREATE UNIQUE INDEX "youtube_exports_version_channel_idx" ON "youtube_exports" USING btree ("version_id","channel_id");--> statement-breakpoint
CREATE INDEX "youtube_exports_state_idx" ON "youtube_exports" USING btree ("state","deferred_until");--> statement-breakpoint
CREATE INDEX "youtube_exports_material_idx" ON "youtube_exports" USING btree ("material_id");--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
-- Two slots of one channel never overlap, even when two requests race (hand-written: drizzle-kit cannot express EXCLUDE).
ALTER TABLE "broadcast_slots" ADD CONSTRAINT "broadcast_slots_no_overlap" EXCLUDE USING gist ("channel_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&);
