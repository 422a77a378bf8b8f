<?xml version="1.0" encoding="UTF-8"?>
<!-- 数据报表 (reports, fcgi-app/report/): the form (what by, per what
     period, over which range, the service level's threshold), a chart
     drawn by reports.js from the same figures' JSON, the table with each
     count a link to the call records behind it, the exports, and every
     figure's definition. Everything comes from /page/reports (report/page.c)
     and is escaped here. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i="urn:cc:i18n" exclude-result-prefixes="i">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="title">
    <xsl:value-of select="i:t('report.title')"/>
  </xsl:template>

  <xsl:template match="/page" mode="scripts">
    <script src="/cc/static/cc.js" defer="defer"></script>
    <script src="/cc/static/vendor/echarts.min.js" defer="defer"></script>
    <script src="/cc/static/reports.js" defer="defer"></script>
  </xsl:template>

  <xsl:template match="/page" mode="main">
    <xsl:variable name="rp" select="reports"/>
    <div class="console" id="reports">
      <xsl:if test="side"><xsl:call-template name="side-nav"/></xsl:if>
      <div class="console-main">
        <div class="page-head">
          <h1 id="reports-heading"><xsl:value-of select="i:t('report.title')"/></h1>
          <xsl:if test="$rp/@rolled_at">
            <span class="muted" id="reports-rolled">
              <xsl:call-template name="fill">
                <xsl:with-param name="text" select="i:t('report.rolled_at')"/>
                <xsl:with-param name="value" select="$rp/@rolled_at"/>
              </xsl:call-template>
            </span>
          </xsl:if>
        </div>
        <nav class="tabs" id="reports-dims">
          <xsl:for-each select="$rp/options/dim">
            <a class="tab" href="/cc/admin/reports?dim={@id}&amp;period={$rp/@period}&amp;from={$rp/@from}&amp;to={$rp/@to}&amp;sl={$rp/@sl}" data-dim="{@id}">
              <xsl:if test="@id = $rp/@dim"><xsl:attribute name="aria-current">page</xsl:attribute><xsl:attribute name="class">tab current</xsl:attribute></xsl:if>
              <xsl:value-of select="i:t(concat('report.by.', @id))"/>
            </a>
          </xsl:for-each>
        </nav>
        <section class="panel">
          <form method="get" action="/cc/admin/reports" class="res-search" id="reports-form">
            <input type="hidden" name="dim" value="{$rp/@dim}"/>
            <label for="rp-period"><xsl:value-of select="i:t('report.period')"/></label>
            <select id="rp-period" name="period">
              <xsl:for-each select="$rp/options/period">
                <option value="{@id}">
                  <xsl:if test="@id = $rp/@period"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
                  <xsl:value-of select="i:t(concat('report.per.', @id))"/>
                </option>
              </xsl:for-each>
            </select>
            <label for="rp-from"><xsl:value-of select="i:t('report.from')"/></label>
            <input type="datetime-local" id="rp-from" name="from" value="{$rp/@from}"/>
            <label for="rp-to"><xsl:value-of select="i:t('report.to')"/></label>
            <input type="datetime-local" id="rp-to" name="to" value="{$rp/@to}"/>
            <label for="rp-sl"><xsl:value-of select="i:t('report.sl_threshold')"/></label>
            <select id="rp-sl" name="sl">
              <xsl:for-each select="$rp/options/sl">
                <option value="{@s}">
                  <xsl:if test="@s = $rp/@sl"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
                  <xsl:call-template name="fill">
                    <xsl:with-param name="text" select="i:t('report.seconds')"/>
                    <xsl:with-param name="value" select="@s"/>
                  </xsl:call-template>
                </option>
              </xsl:for-each>
            </select>
            <button type="submit" class="btn" id="reports-go"><xsl:value-of select="i:t('report.show')"/></button>
            <a class="btn btn-quiet" id="reports-csv" href="{$rp/@csv}"><xsl:value-of select="i:t('report.export_csv')"/></a>
            <a class="btn btn-quiet" id="reports-xlsx" href="{$rp/@xlsx}"><xsl:value-of select="i:t('report.export_xlsx')"/></a>
            <button type="button" class="btn btn-quiet" id="reports-refresh" data-csrf="{/page/@csrf}"><xsl:value-of select="i:t('report.refresh')"/></button>
          </form>
          <xsl:if test="$rp/error">
            <div class="banner banner-error" role="alert" id="reports-error" data-field="{$rp/error/@field}"><xsl:value-of select="$rp/error"/></div>
          </xsl:if>
          <xsl:if test="$rp/rows">
            <div id="reports-chart" class="report-chart" data-api="{$rp/@api}" data-dim="{$rp/@dim}" aria-hidden="true"></div>
            <div class="table-scroll">
              <table class="table report-table" id="reports-table" data-rows="{$rp/rows/@count}">
                <thead><tr>
                  <xsl:for-each select="$rp/head/c"><th><xsl:value-of select="."/></th></xsl:for-each>
                </tr></thead>
                <tbody>
                  <xsl:for-each select="$rp/rows/row">
                    <tr>
                      <xsl:if test="position() = last()"><xsl:attribute name="class">total</xsl:attribute></xsl:if>
                      <xsl:for-each select="v">
                        <td>
                          <xsl:choose>
                            <xsl:when test="@href"><a href="{@href}" class="drill"><xsl:value-of select="."/></a></xsl:when>
                            <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
                          </xsl:choose>
                        </td>
                      </xsl:for-each>
                    </tr>
                  </xsl:for-each>
                </tbody>
              </table>
            </div>
            <xsl:if test="$rp/rows/@count = 0">
              <p class="muted" id="reports-empty"><xsl:value-of select="i:t('report.empty')"/></p>
            </xsl:if>
          </xsl:if>
        </section>
        <section class="panel" id="reports-definitions">
          <h2><xsl:value-of select="i:t('report.definitions')"/></h2>
          <p class="muted"><xsl:value-of select="i:t('report.counting')"/></p>
          <dl class="defs">
            <xsl:for-each select="$rp/definitions/d">
              <dt data-m="{@id}"><xsl:value-of select="i:t(concat('report.m.', @id))"/></dt>
              <dd><xsl:value-of select="i:t(concat('report.d.', @id))"/></dd>
            </xsl:for-each>
          </dl>
        </section>
      </div>
    </div>
  </xsl:template>
</xsl:stylesheet>
