import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { LOADED_AT_COLUMN } from '../columns';

/** 公安 identity, household registration and vital status: one row per person. */
@Entity({ schema: 'exchange_public_security', name: 'persons' })
@Index('persons_id_number_idx', ['idNumber'])
export class PersonEntity {
  @PrimaryColumn({ name: 'record_id', type: 'text', primaryKeyConstraintName: 'persons_pkey' })
  recordId!: string;

  @Column({ name: 'id_number', type: 'varchar', length: 18 })
  idNumber!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  sex!: string;

  @Column({ name: 'birth_date', type: 'date' })
  birthDate!: string;

  @Column({ name: 'hukou_type', type: 'text' })
  hukouType!: string;

  @Column({ name: 'hukou_region_code', type: 'text' })
  hukouRegionCode!: string;

  @Column({ name: 'household_number', type: 'text' })
  householdNumber!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ name: 'death_date', type: 'date', nullable: true })
  deathDate!: string | null;

  @Column(LOADED_AT_COLUMN)
  loadedAt!: Date;
}
