import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { ListPendingReviewsUseCase } from './list-pending-reviews.use-case';
import { ReviewQueueQuery } from './review.dto';
import { ReviewQueuePageView } from './review.views';
import { REVIEW_QUEUE_ROLES } from './review-access';

@ApiTags('review')
@ApiBearerAuth()
@Controller('api/v1/reviews')
export class ReviewQueueController {
  constructor(private readonly listPending: ListPendingReviewsUseCase) {}

  @Get('pending')
  @Roles(...REVIEW_QUEUE_ROLES)
  @ApiOperation({
    summary: 'The reviewer’s queue: verifications of their region whose newest report version awaits a signature, oldest first',
    description: 'Only issued reports (status complete or partial); applicants masked.',
  })
  @ApiOkResponse({ type: ReviewQueuePageView })
  @ApiProblems(400, 401, 403)
  pending(@CurrentActor() actor: Actor, @Query() query: ReviewQueueQuery): Promise<ReviewQueuePageView> {
    return this.listPending.execute(actor, query);
  }
}
