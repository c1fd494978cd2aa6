import { ApiProperty } from '@nestjs/swagger';

export class FieldProblemDto {
  @ApiProperty({ example: 'idNumber', description: 'the offending parameter or field' })
  field!: string;

  @ApiProperty({ example: 'invalid resident identity number (check_digit)' })
  message!: string;
}

/** RFC 9457 problem details (`application/problem+json`). */
export class ProblemDto {
  @ApiProperty({ example: 'urn:verihub:problem:invalid-input' })
  type!: string;

  @ApiProperty({ example: 'Invalid input' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'The request is invalid; see errors for each field.' })
  detail!: string;

  @ApiProperty({ type: [FieldProblemDto] })
  errors!: FieldProblemDto[];
}
