import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Side effects written in the same transaction as the change that causes them; the relay
 * publishes them to BullMQ (job id = outbox id), so a crash or a Redis outage loses nothing.
 */
@Entity('outbox_message')
@Index('outbox_unpublished_idx', ['createdAt'], { where: 'published_at IS NULL' })
export class OutboxMessage {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  jobName: string;

  @Column('jsonb')
  payload: Record<string, unknown>;

  /** For delayed jobs (reservation expiry): not before this moment. */
  @Column('timestamptz', { nullable: true })
  runAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  publishedAt: Date | null;

  @Column('int', { default: 0 })
  attempts: number;

  @Column('text', { nullable: true })
  lastError: string | null;
}
