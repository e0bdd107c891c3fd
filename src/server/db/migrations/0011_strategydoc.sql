CREATE TABLE "strategy_text_blocks" (
	"org_id" uuid NOT NULL,
	"block_key" text NOT NULL,
	"lang" text NOT NULL,
	"text" text NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "strategy_text_blocks_org_id_block_key_lang_pk" PRIMARY KEY("org_id","block_key","lang")
);
--> statement-breakpoint
ALTER TABLE "strategy_text_blocks" ADD CONSTRAINT "strategy_text_blocks_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "strategy_text_blocks" ADD CONSTRAINT "strategy_text_blocks_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "strategy_text_blocks_org_idx" ON "strategy_text_blocks" USING btree ("org_id","lang");